// Suspended servers: stopped, not startable, and closed to everyone but those who may suspend servers (files,
// console, SFTP, power), until unsuspended. Who suspended it, when and why are kept with it.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('servers', (t) => {
    t.bigInteger('suspended_at').nullable();
    t.string('suspended_by', 200).nullable();
    t.string('suspended_reason', 500).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('servers', (t) => {
    t.dropColumn('suspended_reason');
    t.dropColumn('suspended_by');
    t.dropColumn('suspended_at');
  });
}
