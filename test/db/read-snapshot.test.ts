// A read snapshot on real MariaDB and PostgreSQL servers: it sees the rows committed before it began and none written
// after, whatever other connections do meanwhile, and it cannot write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDb } from '../../src/db/index.ts';
import { withReadSnapshot } from '../../src/db/read-snapshot.ts';
import { createTestDatabase, needsEngine, SERVER_ENGINES } from '../helpers/databases.ts';

const count = async (q: Promise<unknown>) => Number(((await q) as { n: number | string }).n);

for (const engine of SERVER_ENGINES) {
  test(`${engine}: a read snapshot sees the database as it was when it began, and is read-only`, { timeout: 60_000 }, async (t) => {
    if (!needsEngine(t, engine)) return;
    const database = await createTestDatabase(engine);
    t.after(() => database.drop());
    const db = createDb(database.config, null);
    t.after(() => db.destroy());
    await db.schema.createTable('items', (table) => {
      table.integer('id').primary();
    });
    await db('items').insert([{ id: 1 }, { id: 2 }]);
    const seen = await withReadSnapshot(db, async (snapshot) => {
      const first = await count(snapshot.table('items').count({ n: '*' }).first());
      // Committed by another connection while the snapshot is open.
      await db('items').insert({ id: 3 });
      await db('items').where({ id: 1 }).delete();
      const again = await count(snapshot.table('items').count({ n: '*' }).first());
      const ids = ((await snapshot.table('items').select('id').orderBy('id')) as Array<{ id: number }>).map((r) => r.id);
      const write = await snapshot.table('items').insert({ id: 4 }).then(
        () => 'written',
        (err: unknown) => (err as Error).message,
      );
      return { first, again, ids, write };
    });
    assert.deepEqual({ first: seen.first, again: seen.again, ids: seen.ids }, { first: 2, again: 2, ids: [1, 2] });
    assert.match(seen.write, /read.only/i);
    assert.deepEqual(((await db('items').select('id').orderBy('id')) as Array<{ id: number }>).map((r) => r.id), [2, 3]);
  });
}
