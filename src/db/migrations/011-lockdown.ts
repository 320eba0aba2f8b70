// Incident response: a user may have to choose a new password before doing anything else, and an OAuth2 client whose
// secret was replaced in a lockdown stays disabled until its owner takes the new secret.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('password_reset_required').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('oauth_clients', (t) => {
    t.bigInteger('locked_down_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_clients', (t) => {
    t.dropColumn('locked_down_at');
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('password_reset_required');
  });
}
