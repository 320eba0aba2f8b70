// Host resources: the sample history (raw samples for 24 h, 5-minute aggregates for 30 days) and the resource alerts firing now.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('resource_history', (t) => {
    // Seconds per row: 10 for a raw sample (one per 10-second slot), 300 for a 5-minute aggregate.
    t.integer('resolution').notNullable();
    t.bigInteger('ts').notNullable();
    // Samples behind the row (1 for a raw sample).
    t.integer('n').notNullable();
    // JSON: the sample's numbers, or their averages and maxima; new series need no migration.
    t.text('data').notNullable();
    t.primary(['resolution', 'ts']);
  });

  // Kept so that an alert fired before a restart is resolved after it, instead of staying open for ever.
  await knex.schema.createTable('resource_alerts', (t) => {
    t.string('dedup_key', 500).primary();
    t.string('rule', 80).notNullable();
    t.string('target', 400).notNullable();
    t.bigInteger('since').notNullable();
    t.double('value').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('resource_alerts');
  await knex.schema.dropTableIfExists('resource_history');
}
