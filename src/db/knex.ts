// The only place a knex instance is created: SQLite in WAL mode with foreign keys and a busy timeout, or a MySQL/PostgreSQL pool.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config/index.ts';

export type Db = Knex;

type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void };

export function createDb(database: DatabaseConfig, sqlitePath: string | null): Db {
  if (database.client === 'sqlite') {
    if (!sqlitePath) throw new Error('SQLite needs a file path');
    mkdirSync(dirname(sqlitePath), { recursive: true, mode: 0o700 });
    const busy = database.busyTimeoutMs;
    return knexFactory({
      client: 'sqlite3',
      connection: { filename: sqlitePath },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) {
          const pragmas = [
            'PRAGMA journal_mode = WAL',
            'PRAGMA foreign_keys = ON',
            `PRAGMA busy_timeout = ${Number(busy)}`,
            'PRAGMA synchronous = NORMAL',
          ];
          const next = (i: number): void => {
            const sql = pragmas[i];
            if (sql === undefined) return done(null, conn);
            conn.run(sql, (err) => (err ? done(err, conn) : next(i + 1)));
          };
          next(0);
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
