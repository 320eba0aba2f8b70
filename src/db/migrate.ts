// Runs the migrations in src/db/migrations, listed here in order; migrations are append-only and never edited.
import type { Knex } from 'knex';
import type { Db } from './knex.ts';
import * as m001 from './migrations/001-core.ts';
import * as m002 from './migrations/002-two-factor.ts';
import * as m003 from './migrations/003-oauth.ts';
import * as m004 from './migrations/004-monitor.ts';
import * as m005 from './migrations/005-alerts.ts';
import * as m006 from './migrations/006-resources.ts';
import * as m007 from './migrations/007-servers.ts';
import * as m008 from './migrations/008-server-history.ts';
import * as m009 from './migrations/009-sftp-credentials.ts';
import * as m010 from './migrations/010-server-suspension.ts';
import * as m011 from './migrations/011-lockdown.ts';
import * as m012 from './migrations/012-console-tickets.ts';
import * as m013 from './migrations/013-node-reachability.ts';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['001-core', m001],
  ['002-two-factor', m002],
  ['003-oauth', m003],
  ['004-monitor', m004],
  ['005-alerts', m005],
  ['006-resources', m006],
  ['007-servers', m007],
  ['008-server-history', m008],
  ['009-sftp-credentials', m009],
  ['010-server-suspension', m010],
  ['011-lockdown', m011],
  ['012-console-tickets', m012],
  ['013-node-reachability', m013],
];

const source: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

/**
 * MySQL/MariaDB: text must compare byte for byte, as on SQLite and PostgreSQL (MySQL's default collations ignore case
 * and trailing spaces), so every table is made under the database's utf8mb4_bin. Switched here when the panel's
 * account may; otherwise the database must have it already.
 */
async function binaryCollation(db: Db): Promise<void> {
  const name = db.client.database() as string;
  try {
    await db.raw('alter database ?? character set utf8mb4 collate utf8mb4_bin', [name]);
  } catch (err) {
    const [rows] = (await db.raw('select default_collation_name as c from information_schema.schemata where schema_name = ?', [name])) as [Array<{ c: string }>];
    if (rows[0]?.c !== 'utf8mb4_bin') {
      throw new Error(`The MySQL database "${name}" must use the utf8mb4_bin collation and the panel's account may not set it (${(err as Error).message}): run ALTER DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin as its owner, then start the panel again.`);
    }
  }
}

/** How long a replica waits for another one that is migrating the shared database at the same moment. */
const LOCK_WAIT_MS = 120_000;

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Db): Promise<string[]> {
  if (db.client.config.client === 'mysql2') await binaryCollation(db);
  // Replicas starting together: one migrates, the others wait for its lock and then find nothing left to do.
  for (const started = Date.now(); ; ) {
    try {
      const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
      return applied;
    } catch (err) {
      if ((err as Error).name !== 'MigrationLocked' || Date.now() - started > LOCK_WAIT_MS) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const [, pending] = (await db.migrate.list({ migrationSource: source })) as [unknown, Array<{ file?: string } | string | [string, Migration]>];
  return pending.map((p) => (Array.isArray(p) ? p[0] : typeof p === 'string' ? p : String(p.file)));
}
