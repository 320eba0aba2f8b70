// Servers in containers: Docker nodes (connection secrets encrypted), admin-made templates, and the servers themselves.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('nodes', (t) => {
    t.string('id', 36).primary();
    t.string('name', 64).notNullable().unique();
    // socket (the local engine), tcp (TLS client certificates) or ssh.
    t.string('kind', 16).notNullable();
    // SECURITY: TLS keys and SSH keys encrypted; the public part (host, port, socket path) beside them.
    t.text('connection_sealed').notNullable();
    t.text('connection_public').notNullable();
    // The address servers' ports are published on.
    t.string('public_ip', 64).notNullable();
    t.integer('port_min').notNullable();
    t.integer('port_max').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  // Shipped templates are files; these are the ones administrators add through the API.
  await knex.schema.createTable('server_templates', (t) => {
    t.string('id', 64).primary();
    t.text('definition').notNullable();
    t.string('created_by', 254).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('servers', (t) => {
    t.string('id', 36).primary();
    // 8 hex characters, unique: container and network names, SFTP user names.
    t.string('short_id', 8).notNullable().unique();
    t.string('name', 64).notNullable();
    t.string('template_id', 64).notNullable();
    t.string('node_id', 36).notNullable().references('id').inTable('nodes');
    t.string('owner_id', 36).nullable().references('id').inTable('users').onDelete('SET NULL');
    t.integer('memory_mb').notNullable();
    t.double('cpu').notNullable();
    t.integer('pids').notNullable();
    t.integer('disk_mb').notNullable();
    t.text('env').notNullable();
    t.text('ports').notNullable();
    t.string('state', 16).notNullable();
    t.string('container_id', 80).nullable();
    t.string('network', 80).nullable();
    // never, or on-crash: restarted by the panel with a growing delay.
    t.string('restart_policy', 16).notNullable();
    t.integer('crash_count').notNullable().defaultTo(0);
    t.integer('last_exit_code').nullable();
    t.bigInteger('last_started_at').nullable();
    t.bigInteger('last_exited_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['node_id']);
    t.index(['owner_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['servers', 'server_templates', 'nodes']) await knex.schema.dropTableIfExists(table);
}
