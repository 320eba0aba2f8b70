// Whether each node's engine answered when last told, kept with the node for every panel on the database: when several
// replicas check the same node, the one that records the change (a conditional update) is the one that audits it, so
// a node that stops answering is one event and one alert, not one per replica.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('nodes', (t) => {
    t.boolean('reachable').notNullable().defaultTo(true);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('nodes', (t) => {
    t.dropColumn('reachable');
  });
}
