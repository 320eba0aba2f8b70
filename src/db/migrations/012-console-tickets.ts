// Console tickets in the database, so that replicas behind one proxy share them: the ticket asked of one replica opens
// the console socket on another. Only the SHA-256 of a ticket is stored.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('console_tickets', (t) => {
    t.string('id_hash', 64).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    // No foreign key: a ticket for a server deleted meanwhile is still read, and the socket answers 4404.
    t.string('server_id', 36).notNullable();
    t.string('ip', 64).notNullable();
    t.bigInteger('expires_at').notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('console_tickets');
}
