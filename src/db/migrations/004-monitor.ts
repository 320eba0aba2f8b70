// The security monitor: detections with their evidence, and IP bans (kept across restarts, with their history for growing ban times).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('detections', (t) => {
    t.increments('id').primary();
    t.string('rule', 80).notNullable();
    t.string('severity', 16).notNullable();
    t.string('key', 300).notNullable();
    t.string('ip', 64).nullable();
    t.string('user', 254).nullable();
    t.bigInteger('ts').notNullable();
    t.integer('count').notNullable();
    t.boolean('simulated').notNullable().defaultTo(false);
    t.string('outcome', 200).notNullable().defaultTo('');
    t.text('evidence').notNullable();
    t.text('details').notNullable();
    t.index(['ts']);
    t.index(['rule']);
    t.index(['ip']);
  });

  await knex.schema.createTable('bans', (t) => {
    t.increments('id').primary();
    // The banned address: an IPv4 address, or an IPv6 /64 network ("2001:db8::/64").
    t.string('ip_key', 64).notNullable();
    t.string('reason', 300).notNullable();
    t.string('rule', 80).nullable();
    t.integer('detection_id').nullable();
    t.string('source', 16).notNullable();
    t.string('created_by', 254).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('lifted_at').nullable();
    t.string('lifted_by', 254).nullable();
    t.integer('hits').notNullable().defaultTo(0);
    t.bigInteger('last_hit_at').nullable();
    t.index(['ip_key']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('bans');
  await knex.schema.dropTableIfExists('detections');
}
