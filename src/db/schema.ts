// The panel's tables as its migrations make them, read once from a scratch in-memory SQLite database: the order to
// fill them in (each after the tables it refers to), each one's primary key and what kind of value each column holds.
// The migrations make the same tables on every engine, so this describes a MySQL or PostgreSQL database as well.
import type { Db } from './knex.ts';
import { createDb } from './knex.ts';
import { migrateLatest } from './migrate.ts';

export type ColumnKind = 'boolean' | 'integer' | 'float' | 'other';

export type PanelTable = { name: string; primaryKey: string[]; columns: Record<string, ColumnKind> };

/** knex's own bookkeeping: each database has its own, written by the migrations. */
const KNEX_TABLES = new Set(['knex_migrations', 'knex_migrations_lock']);

const kindOf = (declared: string): ColumnKind => (/^bool/i.test(declared) ? 'boolean' : /int/i.test(declared) ? 'integer' : /float|double|real|numeric|decimal/i.test(declared) ? 'float' : 'other');

/** The tables of a SQLite database, in an order where each comes after every table it refers to. */
export async function sqliteTables(db: Db): Promise<PanelTable[]> {
  const names = ((await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by rowid")) as Array<{ name: string }>)
    .map((r) => r.name)
    .filter((name) => !KNEX_TABLES.has(name));
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const tables = new Map<string, PanelTable & { refersTo: Set<string> }>();
  for (const name of names) {
    const columns = (await db.raw(`pragma table_info(${quoted(name)})`)) as Array<{ name: string; type: string; pk: number }>;
    const keys = (await db.raw(`pragma foreign_key_list(${quoted(name)})`)) as Array<{ table: string }>;
    tables.set(name, {
      name,
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      columns: Object.fromEntries(columns.map((c) => [c.name, kindOf(c.type)])),
      refersTo: new Set(keys.map((k) => k.table).filter((t) => t !== name)),
    });
  }
  // In the order they were made, except that a table waits for the tables it refers to.
  const ordered: PanelTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.size) {
    const next = [...tables.values()].find((t) => !placed.has(t.name) && [...t.refersTo].every((r) => placed.has(r) || !tables.has(r)));
    if (!next) throw new Error(`The tables refer to each other in a circle: ${[...tables.keys()].filter((t) => !placed.has(t)).join(', ')}`);
    placed.add(next.name);
    const { refersTo: _refersTo, ...table } = next;
    ordered.push(table);
  }
  return ordered;
}

let schema: Promise<PanelTable[]> | null = null;

/** The panel's tables as this version's migrations make them (read once per process). */
export function panelSchema(): Promise<PanelTable[]> {
  schema ??= (async () => {
    const scratch = createDb({ client: 'sqlite', filename: ':memory:', busyTimeoutMs: 5000 }, ':memory:');
    try {
      await migrateLatest(scratch);
      return await sqliteTables(scratch);
    } finally {
      await scratch.destroy();
    }
  })().catch((err: unknown) => {
    schema = null;
    throw err;
  });
  return schema;
}
