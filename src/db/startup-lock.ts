// Replicas starting at the same moment on one MySQL/MariaDB or PostgreSQL database take turns: each migrates and
// writes its start-up rows (built-in roles, the local node) while holding a lock on the database server, so two never
// create the same table or row at once. SQLite has one panel and needs none.
import type { Knex } from 'knex';
import type { Db } from './knex.ts';

const LOCK_NAME = 'aether.startup';
const WAIT_SECONDS = 300;

/** Runs `fn` while holding the cluster-wide start-up lock (a session lock on one connection of the pool). */
export async function withStartupLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const client = db.client.config.client as string;
  if (client !== 'pg' && client !== 'mysql2') return fn();
  const conn = (await db.client.acquireConnection()) as Knex.Client;
  try {
    if (client === 'pg') {
      await db.raw(`set lock_timeout = '${WAIT_SECONDS}s'`).connection(conn);
      await db.raw('select pg_advisory_lock(hashtext(?))', [LOCK_NAME]).connection(conn);
    } else {
      const [rows] = (await db.raw('select get_lock(?, ?) as got', [LOCK_NAME, WAIT_SECONDS]).connection(conn)) as [Array<{ got: number | null }>];
      if (rows[0]?.got !== 1) throw new Error(`Another panel held the start-up lock on the database for ${WAIT_SECONDS} s; is one stuck starting?`);
    }
    try {
      return await fn();
    } finally {
      if (client === 'pg') {
        await db.raw('select pg_advisory_unlock(hashtext(?))', [LOCK_NAME]).connection(conn).catch(() => undefined);
        await db.raw('set lock_timeout = default').connection(conn).catch(() => undefined);
      }
      else await db.raw('select release_lock(?)', [LOCK_NAME]).connection(conn).catch(() => undefined);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}
