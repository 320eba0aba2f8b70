// SFTP credentials of users: SSH public keys, and app passwords (for users with 2FA, who may not use their account
// password over SFTP). Only digests of app passwords are kept.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_ssh_keys', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.string('type', 40).notNullable();
    t.integer('bits').notNullable();
    // "SHA256:…" as ssh-keygen -l prints it: what a login is matched by.
    t.string('fingerprint', 60).notNullable();
    // The key's wire blob, base64: what a login's signature is verified with.
    t.text('public_key').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.unique(['user_id', 'fingerprint']);
  });

  await knex.schema.createTable('sftp_app_passwords', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    // SHA-256 of the password: it is 32 random bytes, not something a person chose, so a fast hash is enough and a
    // login looks it up directly (no slow hash per attempt for anyone to exhaust).
    t.string('digest', 64).notNullable().unique();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').nullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sftp_app_passwords');
  await knex.schema.dropTableIfExists('user_ssh_keys');
}
