// Copying between engines: each value converted to what the target's column takes (a named case per row), and the
// panel's tables in an order where each comes after every table it refers to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { convertValue } from '../../src/db/copy.ts';
import { createDb } from '../../src/db/index.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { panelSchema } from '../../src/db/schema.ts';

const CASES: Array<[string, Parameters<typeof convertValue>[0], unknown, Parameters<typeof convertValue>[2], unknown]> = [
  ['PostgreSQL bigint (text) into SQLite', 'integer', '1764000000000', 'better-sqlite3', 1764000000000],
  ['an id past 2^53 stays exact in SQLite', 'integer', '9007199254740993', 'better-sqlite3', 9007199254740993n],
  ['a negative bigint into SQLite', 'integer', '-42', 'better-sqlite3', -42],
  ['PostgreSQL true into SQLite', 'boolean', true, 'better-sqlite3', 1],
  ['PostgreSQL false into SQLite', 'boolean', false, 'better-sqlite3', 0],
  ['MySQL tinyint 1 into PostgreSQL', 'boolean', 1, 'pg', true],
  ['SQLite 0 into PostgreSQL', 'boolean', 0, 'pg', false],
  ['PostgreSQL true into MySQL', 'boolean', true, 'mysql2', 1],
  ['SQLite 1 into MySQL', 'boolean', 1, 'mysql2', 1],
  ['a float as text into SQLite', 'float', '1.5', 'better-sqlite3', 1.5],
  ['a number stays a number', 'integer', 7, 'better-sqlite3', 7],
  ['bigint text into PostgreSQL as it is', 'integer', '12', 'pg', '12'],
  ['JSON text as it is', 'other', '{"a":[1,true,null]}', 'better-sqlite3', '{"a":[1,true,null]}'],
  ['text that looks like a number stays text', 'other', '0012', 'better-sqlite3', '0012'],
  ['null stays null', 'boolean', null, 'pg', null],
  ['undefined becomes null', 'integer', undefined, 'mysql2', null],
];

for (const [name, kind, value, target, expected] of CASES) {
  test(`convertValue: ${name}`, () => {
    assert.deepEqual(convertValue(kind, value, target), expected);
  });
}

test('the panel\'s tables: all of them (knex\'s own left out), each after every table it refers to, with a primary key', async (t) => {
  const db = createDb({ client: 'sqlite', filename: ':memory:', busyTimeoutMs: 5000 }, ':memory:');
  t.after(() => db.destroy());
  await migrateLatest(db);
  const tables = await panelSchema();
  const names = tables.map((s) => s.name);
  const all = ((await db.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_%'")) as Array<{ name: string }>).map((r) => r.name);
  assert.deepEqual([...names].sort(), all.sort());
  for (const [i, name] of names.entries()) {
    const refers = (await db.raw(`pragma foreign_key_list("${name}")`)) as Array<{ table: string }>;
    for (const { table } of refers) if (table !== name) assert.ok(names.indexOf(table) < i, `${name} comes after ${table}`);
  }
  for (const table of tables) assert.ok(table.primaryKey.length > 0, `${table.name} has a primary key`);
  const users = tables.find((s) => s.name === 'users')!;
  assert.equal(users.columns.disabled, 'boolean');
  assert.equal(users.columns.created_at, 'integer');
  assert.equal(users.columns.username, 'other');
});
