// Copies a panel's SQLite database into an empty MySQL/MariaDB or PostgreSQL database: the target gets the panel's
// schema from the migrations, then every row, table by table in the order the tables were made (a table only refers
// to ones made before it), in one transaction; then the row counts are compared. The source is a snapshot taken with
// SQLite's online backup API, so a running panel can be copied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '../config/index.ts';
import { createDb, type Db } from './knex.ts';
import { migrateLatest, pendingMigrations } from './migrate.ts';
import { snapshotSqlite } from './snapshot.ts';

const BATCH = 500;
/** knex's own bookkeeping: the target has its own, written by the migrations. */
const SKIPPED = new Set(['knex_migrations', 'knex_migrations_lock']);

export type CopyReport = {
  tables: Array<{ table: string; rows: number }>;
  totalRows: number;
  /** Tables whose row counts differ between the snapshot and the target after the copy (none after a good one). */
  differing: Array<{ table: string; source: number; target: number }>;
};

export class CopyRefused extends Error {}

/** The source's tables in the order they were made. */
async function sourceTables(source: Db): Promise<string[]> {
  const rows = (await source.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by rowid")) as Array<{ name: string }>;
  return rows.map((r) => r.name).filter((name) => !SKIPPED.has(name));
}

/** The target's tables, whatever the engine. */
async function targetTables(target: Db, engine: 'mysql' | 'postgres'): Promise<string[]> {
  if (engine === 'postgres') {
    const res = (await target.raw("select tablename from pg_tables where schemaname = current_schema()")) as { rows: Array<{ tablename: string }> };
    return res.rows.map((r) => r.tablename);
  }
  const [rows] = (await target.raw('show tables')) as [Array<Record<string, string>>];
  return rows.map((r) => Object.values(r)[0]!);
}

/** Turns SQLite's values into what the target's column takes (SQLite keeps booleans as 0 and 1). */
function converter(columns: Record<string, { type: string }>): (row: Record<string, unknown>) => Record<string, unknown> {
  const booleans = Object.entries(columns)
    .filter(([, info]) => info.type === 'boolean')
    .map(([name]) => name);
  return (row) => {
    if (booleans.length === 0) return row;
    const out = { ...row };
    for (const name of booleans) if (typeof out[name] === 'number') out[name] = out[name] !== 0;
    return out;
  };
}

/**
 * Copies the SQLite file at `sqlitePath` into the database `targetConfig` names, which must hold no table yet.
 * `onTable` reports progress. Throws CopyRefused when the target is not empty or the source needs migrating first.
 */
export async function copySqliteTo<V>(
  sqlitePath: string,
  targetConfig: Exclude<DatabaseConfig, { client: 'sqlite' }>,
  opts: { onTable?: (table: string, rows: number) => void; verify: (target: Db) => Promise<V> },
): Promise<CopyReport & { verified: V }> {
  const work = mkdtempSync(join(tmpdir(), 'aether-copy-'));
  const snapshot = join(work, 'snapshot.db');
  await snapshotSqlite(sqlitePath, snapshot);
  const source = createDb({ client: 'sqlite', filename: snapshot, busyTimeoutMs: 5000 }, snapshot);
  const target = createDb(targetConfig, null);
  try {
    const pending = await pendingMigrations(source);
    if (pending.length > 0) throw new CopyRefused(`The panel's database needs migrating first (${pending.join(', ')}): run aether migrate, or start the panel once.`);
    const existing = await targetTables(target, targetConfig.client);
    if (existing.length > 0) throw new CopyRefused(`The target database is not empty (${existing.length} table(s), e.g. ${existing.slice(0, 3).join(', ')}): give an empty database.`);
    await migrateLatest(target);
    const tables = await sourceTables(source);
    const report: CopyReport = { tables: [], totalRows: 0, differing: [] };
    await target.transaction(async (trx) => {
      for (const table of tables) {
        const convert = converter((await trx(table).columnInfo()) as unknown as Record<string, { type: string }>);
        let copied = 0;
        // Keyset pages over SQLite's rowid: every row once, in the order it was written.
        for (let after = -Infinity; ; ) {
          const page = (await source.raw(`select rowid as __rowid, * from "${table.replace(/"/g, '""')}" where rowid > ? order by rowid limit ${BATCH}`, [after === -Infinity ? -9007199254740991 : after])) as Array<Record<string, unknown>>;
          if (page.length === 0) break;
          after = Number(page[page.length - 1]!.__rowid);
          const rows = page.map(({ __rowid: _rowid, ...row }) => convert(row));
          await trx.batchInsert(table, rows, 100);
          copied += rows.length;
        }
        report.tables.push({ table, rows: copied });
        report.totalRows += copied;
        opts.onTable?.(table, copied);
      }
      if (targetConfig.client === 'postgres') await resetSequences(trx);
    });
    report.differing = await compareRowCounts(source, target, tables);
    return { ...report, verified: await opts.verify(target) };
  } finally {
    await source.destroy();
    await target.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

/** PostgreSQL's serial columns continue after the copied ids (MySQL's auto-increment follows by itself). */
async function resetSequences(trx: Db): Promise<void> {
  const res = (await trx.raw(
    "select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq from information_schema.columns where table_schema = current_schema() and column_default like 'nextval(%'",
  )) as { rows: Array<{ table_name: string; column_name: string; seq: string | null }> };
  for (const { table_name: table, column_name: column, seq } of res.rows) {
    if (seq) await trx.raw('select setval(?, coalesce((select max(??) from ??), 0) + 1, false)', [seq, column, table]);
  }
}

/** Rows per table in both databases, and the tables whose counts differ (none after a good copy). */
export async function compareRowCounts(a: Db, b: Db, tables: string[]): Promise<Array<{ table: string; source: number; target: number }>> {
  const count = async (db: Db, table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
  const differing: Array<{ table: string; source: number; target: number }> = [];
  for (const table of tables) {
    const [source, target] = await Promise.all([count(a, table), count(b, table)]);
    if (source !== target) differing.push({ table, source, target });
  }
  return differing;
}
