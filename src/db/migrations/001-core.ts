// Core schema: users, roles, role assignments, sessions, the audit chain, one-time setup tokens and settings.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    t.string('username', 64).notNullable().unique();
    t.string('email', 254).notNullable().unique();
    t.string('password_hash', 255).notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('password_changed_at').notNullable();
    t.bigInteger('last_login_at').nullable();
    t.string('last_login_ip', 64).nullable();
  });

  await knex.schema.createTable('roles', (t) => {
    t.string('id', 36).primary();
    t.string('name', 64).notNullable().unique();
    t.string('description', 500).notNullable().defaultTo('');
    t.boolean('builtin').notNullable().defaultTo(false);
    t.text('scopes').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('user_roles', (t) => {
    t.string('user_id', 36).notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('role_id', 36).notNullable().references('id').inTable('roles').onDelete('CASCADE');
    // '*' for a global assignment; a server id otherwise (not NULL, so the unique key works on every engine).
    t.string('server_id', 64).notNullable().defaultTo('*');
    t.bigInteger('created_at').notNullable();
    t.primary(['user_id', 'role_id', 'server_id']);
    t.index(['role_id']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('id', 36).primary();
    t.string('token_hash', 64).notNullable().unique();
    t.string('user_id', 36).nullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('data').notNullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 512).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.boolean('rotate').notNullable().defaultTo(false);
    t.index(['user_id']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('audit_events', (t) => {
    t.bigInteger('id').primary();
    t.bigInteger('ts').notNullable();
    t.string('type', 100).notNullable();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 64).nullable();
    t.string('actor_name', 254).nullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 512).nullable();
    t.string('target_type', 32).nullable();
    t.string('target_id', 64).nullable();
    t.string('target_name', 254).nullable();
    t.string('outcome', 16).notNullable();
    t.text('details').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['ts']);
    t.index(['type']);
    t.index(['actor_id']);
    t.index(['ip']);
  });

  await knex.schema.createTable('setup_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at').nullable();
  });

  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['settings', 'setup_tokens', 'audit_events', 'sessions', 'user_roles', 'roles', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
