// The only place a knex instance is created: SQLite in WAL mode with foreign keys and a busy timeout, or a MySQL/PostgreSQL pool.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config/index.ts';

export type Db = Knex;

type SqliteConnection = { pragma(sql: string): unknown };

export function createDb(database: DatabaseConfig, sqlitePath: string | null): Db {
  if (database.client === 'sqlite') {
    if (!sqlitePath) throw new Error('SQLite needs a file path');
    mkdirSync(dirname(sqlitePath), { recursive: true, mode: 0o700 });
    const busy = database.busyTimeoutMs;
    // better-sqlite3 runs statements on the main thread: SQLite never waits behind argon2 for a libuv worker,
    // so a login flood cannot stall every other query (with the sqlite3 driver both shared the 4-thread pool).
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: sqlitePath },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) {
          try {
            conn.pragma('journal_mode = WAL');
            conn.pragma('foreign_keys = ON');
            conn.pragma(`busy_timeout = ${Number(busy)}`);
            conn.pragma('synchronous = NORMAL');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    });
  }
  return knexFactory({
    client: database.client === 'mysql' ? 'mysql2' : 'pg',
    connection: {
      host: database.host,
      ...(database.port ? { port: database.port } : {}),
      user: database.user,
      password: database.password,
      database: database.database,
      ...(database.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
    },
    pool: { min: 0, max: 10 },
  });
}

/** True when the database answers a trivial query. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
