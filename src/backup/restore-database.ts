// Puts a backup's database (a SQLite file) into the MySQL/MariaDB or PostgreSQL database a panel's configuration
// names: its rows are replaced by the backup's in one transaction (deleted in reverse table order, inserted in order,
// PostgreSQL's sequences moved past the ids), so a failure part-way changes nothing. Refused while another connection
// uses the database (a panel or a replica still running), and without force when the database holds rows already;
// with force those rows are first saved into a SQLite file, as a restore onto SQLite moves the old file aside.
import type { Knex } from 'knex';
import type { DatabaseConfig } from '../config/index.ts';
import { otherConnections } from '../db/connections.ts';
import { copyDatabase, copyIntoSqliteFile, CopyRefused } from '../db/copy.ts';
import { createDb, migrateLatest, type Db } from '../db/index.ts';
import { panelSchema } from '../db/schema.ts';
import { AppError, conflict } from '../shared/errors.ts';

export type ServerDatabase = Exclude<DatabaseConfig, { client: 'sqlite' }>;

/** How long a restore waits for the connections of a panel that has just stopped to close. */
const CLOSING_MS = 5000;

/** Runs `use` on a connection pool of its own, closed afterwards (so no idle connection of ours lingers). */
async function withDb<T>(database: ServerDatabase, use: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(database, null);
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

/** Returns once no other connection uses the database; refuses when some still do after CLOSING_MS. */
async function refuseWhileInUse(db: Knex | Knex.Transaction, name: string): Promise<void> {
  for (const started = Date.now(); ; ) {
    const others = await otherConnections(db);
    if (others.length === 0) return;
    if (Date.now() - started >= CLOSING_MS) {
      const from = [...new Set(others.map((o) => o.from))].join(', ');
      throw conflict('database_in_use', `${others.length} other connection(s) use the database "${name}" (${from}): stop every panel that uses it (each replica too), then restore again.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function rowsIn(db: Db): Promise<number> {
  let rows = 0;
  for (const { name } of await panelSchema()) rows += Number(((await db(name).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
  return rows;
}

/**
 * Replaces the rows of `database` with those of the backup's SQLite file `file` (brought to this version's schema
 * first). With rows in the database already: refused without `force`; with it, they are saved into `saveTo` (a new
 * SQLite file) first. Returns the rows restored and whether the old ones were saved.
 */
export async function restoreIntoServer(file: string, database: ServerDatabase, opts: { force: boolean; saveTo: string }): Promise<{ rows: number; saved: boolean }> {
  const backup = createDb({ client: 'sqlite', filename: file, busyTimeoutMs: 5000 }, file);
  try {
    await migrateLatest(backup).catch((err: unknown) => {
      throw new AppError(400, 'backup_too_new', `The backup's database does not fit this version's migrations (${(err as Error).message}): restore it with the panel version that made it, or a newer one.`);
    });
    // The panel's own migrations on the target, as a start of the panel would run them; then who uses it, and what it holds.
    const held = await withDb(database, async (db) => {
      await migrateLatest(db);
      return rowsIn(db);
    });
    await withDb(database, (db) => refuseWhileInUse(db, database.database));
    if (held > 0 && !opts.force) {
      throw conflict('database_not_empty', `The database "${database.database}" holds ${held} row(s) already: pass --force to replace them (they are saved into a SQLite file first).`);
    }
    if (held > 0) await withDb(database, (db) => copyIntoSqliteFile(db, opts.saveTo));
    // A fresh pool: inside the transaction, its one connection is the only one of ours.
    const report = await withDb(database, (db) => copyDatabase(backup, db, { into: 'replace', beforeWrite: (trx) => refuseWhileInUse(trx, database.database) })).catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      throw new AppError(409, 'restore_failed', `The backup's rows could not be written into the database "${database.database}" (${(err as Error).message}); the transaction was rolled back and the database is as it was.`);
    });
    return { rows: report.totalRows, saved: held > 0 };
  } catch (err) {
    if (err instanceof CopyRefused) throw new AppError(409, 'restore_refused', err.message);
    throw err;
  } finally {
    await backup.destroy();
  }
}
