// Reads a database as it was at one moment while others keep writing to it: one read-only transaction that sees every
// transaction committed before it began and none after. PostgreSQL: REPEATABLE READ, READ ONLY. MySQL/MariaDB (InnoDB):
// REPEATABLE READ and START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY. SQLite (WAL): a read transaction.
import type { Knex } from 'knex';
import type { Db } from './knex.ts';

/** Queries that all read the same snapshot. */
export type SnapshotReader = { table(name: string): Knex.QueryBuilder };

/** Runs `read` on one snapshot of `db`; the transaction ends (read-only, nothing to commit) when `read` settles. */
export async function withReadSnapshot<T>(db: Db, read: (snapshot: SnapshotReader) => Promise<T>): Promise<T> {
  const client = db.client.config.client as string;
  if (client === 'pg') return db.transaction((trx) => read({ table: (name) => trx(name) }), { isolationLevel: 'repeatable read', readOnly: true });
  if (client !== 'mysql2') return db.transaction((trx) => read({ table: (name) => trx(name) }));
  // knex writes MySQL's isolation level and READ ONLY as one clause MariaDB refuses, and cannot ask for the snapshot at
  // the start: the statements are sent here, on one connection held for the whole read.
  const connection: unknown = await db.client.acquireConnection();
  const run = (sql: string) => db.raw(sql).connection(connection);
  try {
    await run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await run('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    try {
      const result = await read({ table: (name) => db(name).connection(connection) });
      await run('COMMIT');
      return result;
    } catch (err) {
      await run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
}
