// Locks that hold across every panel on one database: replicas on one MySQL/MariaDB or PostgreSQL database take turns
// where two at once would make the same thing twice (migrations and start-up rows, a server's ports). On the server
// it is a session lock on one connection of the pool (PostgreSQL: an advisory lock; MySQL/MariaDB: GET_LOCK); SQLite
// has one panel, where the lock of this process is all there is.
import type { Knex } from 'knex';
import type { Db } from './knex.ts';

/** This process's holders, one after another per lock name (so one connection at most waits on the server). */
const local = new Map<string, Promise<void>>();

async function inProcess<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const before = local.get(name) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  local.set(name, tail);
  await before;
  try {
    return await fn();
  } finally {
    release();
    if (local.get(name) === tail) local.delete(name);
  }
}

/**
 * Runs `fn` while holding the lock `name` (at most 64 characters) for every panel on this database; waits up to
 * `waitSeconds` for it, then fails with `busy`.
 */
export function withClusterLock<T>(db: Db, name: string, opts: { waitSeconds: number; busy: () => Error }, fn: () => Promise<T>): Promise<T> {
  return inProcess(name, async () => {
    const client = db.client.config.client as string;
    if (client !== 'pg' && client !== 'mysql2') return fn();
    const conn = (await db.client.acquireConnection()) as Knex.Client;
    try {
      if (client === 'pg') {
        await db.raw(`set lock_timeout = '${Math.round(opts.waitSeconds)}s'`).connection(conn);
        await db
          .raw('select pg_advisory_lock(hashtext(?))', [name])
          .connection(conn)
          .catch((err: { code?: string }) => {
            // 55P03: lock_not_available, the wait ran out.
            throw err.code === '55P03' ? opts.busy() : err;
          });
      } else {
        const [rows] = (await db.raw('select get_lock(?, ?) as got', [name, opts.waitSeconds]).connection(conn)) as [Array<{ got: number | null }>];
        if (rows[0]?.got !== 1) throw opts.busy();
      }
      try {
        return await fn();
      } finally {
        if (client === 'pg') {
          await db.raw('select pg_advisory_unlock(hashtext(?))', [name]).connection(conn).catch(() => undefined);
          await db.raw('set lock_timeout = default').connection(conn).catch(() => undefined);
        } else await db.raw('select release_lock(?)', [name]).connection(conn).catch(() => undefined);
      }
    } finally {
      await db.client.releaseConnection(conn);
    }
  });
}

const STARTUP_WAIT_SECONDS = 300;

/** Replicas starting at the same moment migrate and write their start-up rows (built-in roles, the local node) in turn. */
export function withStartupLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  return withClusterLock(db, 'aether.startup', { waitSeconds: STARTUP_WAIT_SECONDS, busy: () => new Error(`Another panel held the start-up lock on the database for ${STARTUP_WAIT_SECONDS} s; is one stuck starting?`) }, fn);
}
