// Alerts: the inbox (deduplicated alerts, their timeline and evidence), notification channels (config encrypted) and the
// outbox every notification is written to before it is sent. (alert_id columns are unsigned to match increments() on
// MySQL/MariaDB, whose foreign keys need equal types; SQLite and PostgreSQL ignore it.)
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('alerts', (t) => {
    t.increments('id').primary();
    t.string('dedup_key', 300).notNullable();
    // The dedup key while the alert is not resolved, null after: at most one unresolved alert per key, in every database.
    t.string('open_key', 300).nullable().unique();
    t.string('source', 16).notNullable();
    t.string('severity', 16).notNullable();
    t.string('status', 16).notNullable();
    t.string('title', 300).notNullable();
    t.text('summary').notNullable();
    t.string('ip', 64).nullable();
    t.string('user', 254).nullable();
    t.integer('count').notNullable();
    t.bigInteger('first_seen').notNullable();
    t.bigInteger('last_seen').notNullable();
    t.string('assignee_id', 36).nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('acknowledged_at').nullable();
    t.bigInteger('resolved_at').nullable();
    t.bigInteger('updated_at').notNullable();
    t.text('details').notNullable();
    t.index(['status', 'last_seen']);
    t.index(['last_seen']);
    t.index(['dedup_key']);
    t.index(['ip']);
    t.index(['user']);
  });

  // What an alert points at: detections, audit events, log lines, metric readings (bounded per alert).
  await knex.schema.createTable('alert_evidence', (t) => {
    t.increments('id').primary();
    t.integer('alert_id').unsigned().notNullable().references('id').inTable('alerts').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.integer('ref_id').nullable();
    t.bigInteger('ts').notNullable();
    t.text('data').notNullable();
    t.index(['alert_id']);
  });

  // The timeline: state changes, notes, responses taken, notifications sent or failed.
  await knex.schema.createTable('alert_events', (t) => {
    t.increments('id').primary();
    t.integer('alert_id').unsigned().notNullable().references('id').inTable('alerts').onDelete('CASCADE');
    t.bigInteger('ts').notNullable();
    t.string('kind', 32).notNullable();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 64).nullable();
    t.string('actor_name', 254).nullable();
    t.text('text').notNullable();
    t.text('data').notNullable();
    t.index(['alert_id', 'id']);
  });

  await knex.schema.createTable('alert_channels', (t) => {
    t.string('id', 36).primary();
    t.string('name', 64).notNullable().unique();
    t.string('type', 32).notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    // SECURITY: the whole config (passwords, signing secrets, webhook URLs with tokens) encrypted; a redacted copy beside it.
    t.text('config_sealed').notNullable();
    t.text('config_public').notNullable();
    t.string('min_severity', 16).notNullable();
    t.text('sources').nullable();
    t.boolean('send_on_resolve').notNullable().defaultTo(false);
    t.integer('rate_max').notNullable();
    t.integer('rate_window_seconds').notNullable();
    t.boolean('allow_private_network').notNullable().defaultTo(false);
    t.string('created_by', 254).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('last_delivered_at').nullable();
    t.bigInteger('last_failed_at').nullable();
    t.string('last_error', 500).nullable();
  });

  // The outbox: a notification is a row before it is a message; sent, retried with backoff, or expired.
  await knex.schema.createTable('notifications', (t) => {
    t.string('id', 36).primary();
    t.string('channel_id', 36).notNullable().references('id').inTable('alert_channels').onDelete('CASCADE');
    t.integer('alert_id').unsigned().nullable().references('id').inTable('alerts').onDelete('SET NULL');
    t.string('kind', 16).notNullable();
    // held: a digest still collecting; pending: due at next_attempt_at; then delivered, failed (permanent) or expired.
    t.string('status', 16).notNullable();
    t.text('payload').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('next_attempt_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('delivered_at').nullable();
    t.string('last_error', 500).nullable();
    // A sender claims a row until this time, so two senders (or two panel processes) never send it twice at once.
    t.bigInteger('claimed_until').nullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['channel_id', 'created_at']);
    t.index(['alert_id']);
  });

  // The alerts a notification speaks for (one, or every alert of a digest).
  await knex.schema.createTable('notification_alerts', (t) => {
    t.string('notification_id', 36).notNullable().references('id').inTable('notifications').onDelete('CASCADE');
    t.integer('alert_id').unsigned().notNullable().references('id').inTable('alerts').onDelete('CASCADE');
    t.primary(['notification_id', 'alert_id']);
    t.index(['alert_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['notification_alerts', 'notifications', 'alert_channels', 'alert_events', 'alert_evidence', 'alerts']) await knex.schema.dropTableIfExists(table);
}
