// OAuth2 client credentials: clients (secret hashed), the addresses each has used, and oidc-provider's stored artifacts (tokens hashed).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oauth_clients', (t) => {
    t.string('id', 64).primary();
    t.string('owner_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 64).notNullable();
    // SHA-256 of the 256-bit secret; the secret itself is shown once and never stored.
    t.string('secret_hash', 64).notNullable();
    t.text('scopes').notNullable();
    t.text('allowed_ips').notNullable();
    t.integer('token_ttl').notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('secret_rotated_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.string('last_used_ip', 64).nullable();
    t.index(['owner_id']);
  });

  await knex.schema.createTable('oauth_client_ips', (t) => {
    t.string('client_id', 64).notNullable().references('id').inTable('oauth_clients').onDelete('CASCADE');
    t.string('ip', 64).notNullable();
    t.bigInteger('first_seen_at').notNullable();
    t.primary(['client_id', 'ip']);
  });

  // oidc-provider's models (access tokens of the client-credentials grant, mainly), keyed by the SHA-256 of their id:
  // a token value is never stored, so a copy of the database holds no usable token.
  await knex.schema.createTable('oauth_artifacts', (t) => {
    t.string('model', 32).notNullable();
    t.string('id_hash', 64).notNullable();
    t.string('client_id', 64).nullable();
    t.string('grant_id', 64).nullable();
    t.text('payload').notNullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('consumed_at').nullable();
    t.primary(['model', 'id_hash']);
    t.index(['client_id']);
    t.index(['grant_id']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['oauth_artifacts', 'oauth_client_ips', 'oauth_clients']) await knex.schema.dropTableIfExists(table);
}
