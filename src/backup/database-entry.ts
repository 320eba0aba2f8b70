// The backup's database entry: a SQLite file whatever engine the panel runs on, so a backup restores onto any of
// them. From SQLite: an online snapshot of the file. From MySQL/MariaDB or PostgreSQL: every table copied into a new
// SQLite file made by the migrations, all rows read in one consistent read transaction while the panel keeps writing.
import type { DatabaseConfig } from '../config/index.ts';
import { copyIntoSqliteFile } from '../db/copy.ts';
import { snapshotSqlite, type Db } from '../db/index.ts';
import { sqliteRowCounts } from '../db/row-counts.ts';

export type DatabaseEngine = DatabaseConfig['client'];

/** What the entry holds: the engine it was read from, and its rows per table (equal to the snapshot's). */
export type DatabaseCopy = { engine: DatabaseEngine; rows: Record<string, number> };

/** Writes the panel's database, as of one moment, into the new SQLite file `dest`. */
export async function writeDatabaseEntry(source: { engine: 'sqlite'; sqlitePath: string } | { engine: 'mysql' | 'postgres'; db: Db }, dest: string): Promise<DatabaseCopy> {
  if (source.engine === 'sqlite') await snapshotSqlite(source.sqlitePath, dest);
  else await copyIntoSqliteFile(source.db, dest);
  return { engine: source.engine, rows: sqliteRowCounts(dest) };
}
