// Per-server resource history: each running server's figures (raw for 24 h, 5-minute aggregates for 30 days).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('server_history', (t) => {
    // No foreign key: rows of a deleted server are pruned in bulk, and a server delete never waits on its history.
    t.string('server_id', 36).notNullable();
    // Seconds per row: 10 for a raw sample, 300 for a 5-minute aggregate.
    t.integer('resolution').notNullable();
    t.bigInteger('ts').notNullable();
    t.integer('n').notNullable();
    // JSON: the sample's numbers, or their averages and maxima.
    t.text('data').notNullable();
    t.primary(['server_id', 'resolution', 'ts']);
    // Retention deletes and the aggregation of closed buckets go by time over every server.
    t.index(['resolution', 'ts'], 'server_history_resolution_ts');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('server_history');
}
