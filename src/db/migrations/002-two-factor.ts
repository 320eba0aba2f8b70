// Two-factor authentication: each user's TOTP secret (encrypted) with its replay guard, and hashed recovery codes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_totp', (t) => {
    t.string('user_id', 36).primary().references('id').inTable('users').onDelete('CASCADE');
    // AES-256-GCM sealed base32 secret (see shared/secret-box.ts); never the secret itself.
    t.string('secret_enc', 255).notNullable();
    // NULL while setup waits for its first code; the time 2FA was turned on after that.
    t.bigInteger('confirmed_at').nullable();
    // The last time step a code was accepted for: that step and every earlier one are refused (no replay).
    t.bigInteger('last_step').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('recovery_codes', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.string('used_ip', 64).nullable();
    t.unique(['user_id', 'code_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('recovery_codes');
  await knex.schema.dropTableIfExists('user_totp');
}
