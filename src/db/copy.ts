// Copies the panel's rows from one database into another, whatever the two engines (SQLite, MySQL/MariaDB,
// PostgreSQL): both hold the schema this version's migrations make; the source is read inside one snapshot (a running
// panel may keep writing), the target written in one transaction, table by table in an order where each table comes
// after the ones it refers to, converting each value to what the target's column takes; the row counts of the snapshot
// and the target are compared before the transaction ends. Used by `aether db migrate-to` (SQLite into an empty server
// database) and by backups (a server database into a new SQLite file, and a backup's SQLite file back into one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import type { DatabaseConfig } from '../config/index.ts';
import { createDb, type Db } from './knex.ts';
import { migrateLatest, pendingMigrations } from './migrate.ts';
import { withReadSnapshot, type SnapshotReader } from './read-snapshot.ts';
import { panelSchema, type ColumnKind, type PanelTable } from './schema.ts';
import { snapshotSqlite } from './snapshot.ts';

const BATCH = 500;

export type CopyReport = {
  tables: Array<{ table: string; rows: number }>;
  totalRows: number;
  /** Tables whose row counts differ between the snapshot and the target after the copy (none after a good one). */
  differing: Array<{ table: string; source: number; target: number }>;
};

export class CopyRefused extends Error {}

type Engine = 'better-sqlite3' | 'mysql2' | 'pg';
const engineOf = (db: Db) => db.client.config.client as Engine;

/** Every table of a database (knex's own included), whatever the engine. */
async function tablesIn(db: Db): Promise<string[]> {
  const engine = engineOf(db);
  if (engine === 'pg') {
    const res = (await db.raw('select tablename from pg_tables where schemaname = current_schema()')) as { rows: Array<{ tablename: string }> };
    return res.rows.map((r) => r.tablename);
  }
  if (engine === 'mysql2') {
    const [rows] = (await db.raw('show tables')) as [Array<Record<string, string>>];
    return rows.map((r) => Object.values(r)[0]!);
  }
  const rows = (await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/**
 * A value as one engine answers it, in the form the target's column takes: PostgreSQL answers bigint as text and
 * booleans as true/false; MySQL/MariaDB keep booleans as tinyint 0/1, SQLite as 0/1. Text (JSON included) and
 * timestamps (numbers of milliseconds) pass as they are.
 */
export function convertValue(kind: ColumnKind, value: unknown, target: Engine): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'boolean') {
    const truth = typeof value === 'boolean' ? value : typeof value === 'number' || typeof value === 'bigint' ? Number(value) !== 0 : !['0', 'false', 'f', ''].includes(String(value).toLowerCase());
    return target === 'pg' ? truth : truth ? 1 : 0;
  }
  if (target !== 'better-sqlite3') return value;
  // SQLite keeps a value in the form it is given: numbers go in as numbers.
  if (kind === 'integer' && typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value);
  }
  if (kind === 'float' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

/** The source's rows of one table, page by page in primary-key order (keyset pages: each row exactly once). */
async function* pagesOf(snapshot: SnapshotReader, table: PanelTable): AsyncGenerator<Array<Record<string, unknown>>> {
  const key = table.primaryKey.length > 0 ? table.primaryKey : null;
  const order = key ?? Object.keys(table.columns);
  let after: unknown[] | null = null;
  for (let offset = 0; ; offset += BATCH) {
    const query = snapshot.table(table.name).select('*').orderBy(order.map((column) => ({ column }))).limit(BATCH);
    if (key && after) query.whereRaw(`(${key.map(() => '??').join(', ')}) > (${key.map(() => '?').join(', ')})`, [...key, ...after] as Knex.RawBinding[]);
    // Without a primary key: pages by offset over every column, which the snapshot keeps still.
    if (!key) query.offset(offset);
    const rows = (await query) as Array<Record<string, unknown>>;
    if (rows.length > 0) yield rows;
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = key?.map((column) => last[column]) ?? null;
  }
}

const countRows = async (query: Knex.QueryBuilder) => Number(((await query.count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);

/**
 * Copies every panel table of `source` into `target`. `into: 'empty'`: the target must hold no table and gets the
 * schema from the migrations. `into: 'replace'`: the target is at the newest migration already (the caller ran them);
 * its rows are deleted (in reverse order) and the source's written in their place, in the same transaction, which is
 * rolled back when a row count differs, so a failure leaves the target as it was. `beforeWrite` runs first inside the
 * target's transaction (a last check may still refuse). Throws CopyRefused when the source needs migrating first or
 * an 'empty' target is not.
 */
export async function copyDatabase(
  source: Db,
  target: Db,
  opts: { into: 'empty' | 'replace'; onTable?: (table: string, rows: number) => void; beforeWrite?: (trx: Knex.Transaction) => Promise<void> },
): Promise<CopyReport> {
  const pending = await pendingMigrations(source);
  if (pending.length > 0) throw new CopyRefused(`The panel's database needs migrating first (${pending.join(', ')}): run aether migrate, or start the panel once.`);
  if (opts.into === 'empty') {
    const existing = await tablesIn(target);
    if (existing.length > 0) throw new CopyRefused(`The target database is not empty (${existing.length} table(s), e.g. ${existing.slice(0, 3).join(', ')}): give an empty database.`);
    await migrateLatest(target);
  }
  const tables = await panelSchema();
  const engine = engineOf(target);
  return withReadSnapshot(source, (snapshot) =>
    target.transaction(async (trx) => {
      await opts.beforeWrite?.(trx);
      if (opts.into === 'replace') for (const table of [...tables].reverse()) await trx(table.name).delete();
      const report: CopyReport = { tables: [], totalRows: 0, differing: [] };
      for (const table of tables) {
        const kinds = Object.entries(table.columns);
        let copied = 0;
        for await (const page of pagesOf(snapshot, table)) {
          const rows = page.map((row) => Object.fromEntries(kinds.filter(([column]) => column in row).map(([column, kind]) => [column, convertValue(kind, row[column], engine)])));
          await trx.batchInsert(table.name, rows, 100).catch((err: unknown) => {
            throw new Error(`writing ${table.name} failed: ${(err as Error).message}`, { cause: err });
          });
          copied += rows.length;
        }
        report.tables.push({ table: table.name, rows: copied });
        report.totalRows += copied;
        opts.onTable?.(table.name, copied);
      }
      if (engine === 'pg') await resetSequences(trx);
      // Counted inside both transactions: the snapshot against what this transaction wrote.
      for (const { name } of tables) {
        const [inSource, inTarget] = [await countRows(snapshot.table(name)), await countRows(trx(name))];
        if (inSource !== inTarget) report.differing.push({ table: name, source: inSource, target: inTarget });
      }
      if (opts.into === 'replace' && report.differing.length > 0) {
        throw new CopyRefused(`Row counts differ after the copy (${report.differing.map((d) => `${d.table}: ${d.source} read, ${d.target} written`).join('; ')}): nothing was changed.`);
      }
      return report;
    }),
  );
}

/**
 * Copies a live database (a running panel's) into a new SQLite file at `file`, as one snapshot; throws (leaving the
 * file to the caller to remove) when a row count differs.
 */
export async function copyIntoSqliteFile(source: Db, file: string): Promise<CopyReport> {
  const target = createDb({ client: 'sqlite', filename: file, busyTimeoutMs: 5000 }, file);
  try {
    const report = await copyDatabase(source, target, { into: 'empty' });
    if (report.differing.length > 0) throw new CopyRefused(`Row counts differ between the database and its copy: ${report.differing.map((d) => `${d.table} ${d.source} ≠ ${d.target}`).join(', ')}.`);
    return report;
  } finally {
    await target.destroy();
  }
}

/**
 * Copies the SQLite file at `sqlitePath` into the database `targetConfig` names, which must hold no table yet.
 * `onTable` reports progress. Throws CopyRefused when the target is not empty or the source needs migrating first.
 * The source is a snapshot taken with SQLite's online backup API, so a running panel can be copied.
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
    const report = await copyDatabase(source, target, { into: 'empty', ...(opts.onTable ? { onTable: opts.onTable } : {}) });
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
