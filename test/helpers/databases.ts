// Throwaway MariaDB/MySQL and PostgreSQL databases for tests, on the servers scripts/test-databases.sh starts: each
// test gets a database of its own (aether_t_<random>), dropped at the end. AETHER_TEST_DATABASE=postgres|mysql runs
// every test panel on one of them instead of SQLite.
import type { TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import type { DatabaseConfig } from '../../src/config/index.ts';
import { needs } from './require-component.ts';

export type ServerEngine = 'postgres' | 'mysql';
export const SERVER_ENGINES: readonly ServerEngine[] = ['postgres', 'mysql'];

const ENV: Record<ServerEngine, string> = { postgres: 'AETHER_TEST_POSTGRES_URL', mysql: 'AETHER_TEST_MYSQL_URL' };

/** The engine every test panel runs on: AETHER_TEST_DATABASE (postgres or mysql), or null for SQLite. */
export function suiteEngine(): ServerEngine | null {
  const chosen = process.env.AETHER_TEST_DATABASE;
  if (!chosen || chosen === 'sqlite') return null;
  if (chosen !== 'postgres' && chosen !== 'mysql') throw new Error(`AETHER_TEST_DATABASE=${chosen}: use sqlite, postgres or mysql`);
  return chosen;
}

function serverOf(engine: ServerEngine): URL | null {
  const text = process.env[ENV[engine]];
  return text ? new URL(text) : null;
}

/** Skips (or fails under AETHER_TEST_REQUIRE_ALL=1) a test that needs this engine's server when it is not set up. */
export function needsEngine(t: TestContext, engine: ServerEngine): boolean {
  return needs(t, engine === 'mysql' ? 'MariaDB' : 'PostgreSQL', serverOf(engine) !== null, `server not given: ${ENV[engine]} is unset (eval "$(scripts/test-databases.sh)" as root starts Debian's mariadb-server and postgresql)`);
}

function adminConnection(engine: ServerEngine, url: URL) {
  return knexFactory({
    client: engine === 'mysql' ? 'mysql2' : 'pg',
    connection: {
      host: url.hostname,
      port: Number(url.port) || (engine === 'mysql' ? 3306 : 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      ...(engine === 'postgres' ? { database: url.pathname.slice(1) || 'postgres' } : {}),
    },
    pool: { min: 0, max: 1 },
  });
}

/** A new, empty database on the engine's server, as the panel's `database` setting; drop() removes it. */
export async function createTestDatabase(engine: ServerEngine): Promise<{ config: DatabaseConfig; url: string; drop(): Promise<void> }> {
  const server = serverOf(engine);
  if (!server) throw new Error(`${ENV[engine]} is not set: eval "$(scripts/test-databases.sh)"`);
  const name = `aether_t_${randomBytes(6).toString('hex')}`;
  const admin = adminConnection(engine, server);
  try {
    await admin.raw(engine === 'mysql' ? `create database \`${name}\`` : `create database "${name}"`);
  } finally {
    await admin.destroy();
  }
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  const port = Number(server.port) || (engine === 'mysql' ? 3306 : 5432);
  const config: DatabaseConfig = { client: engine, host: server.hostname, port, user, password, database: name, ssl: false };
  return {
    config,
    url: `${engine}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${server.hostname}:${port}/${name}`,
    async drop() {
      const again = adminConnection(engine, server);
      try {
        await again.raw(engine === 'mysql' ? `drop database if exists \`${name}\`` : `drop database if exists "${name}" with (force)`);
      } finally {
        await again.destroy();
      }
    },
  };
}
