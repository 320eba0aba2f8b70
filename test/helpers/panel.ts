// Starts a real panel (real SQLite file in a temp dir, real HTTP server on a random port) for integration tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../src/config/index.ts';
import { createPanel, type Panel } from '../../src/panel.ts';
import { createLogger, silentLogger } from '../../src/shared/logger.ts';
import { createTestDatabase, suiteEngine } from './databases.ts';
import type { Clock } from '../../src/shared/clock.ts';

export type TestPanel = Panel & { url: string; dir: string; close(): Promise<void> };

/** Fast hashing parameters for tests that are not about hashing cost. */
export const FAST_HASHING = { memoryCost: 8192, timeCost: 1, parallelism: 1, maxConcurrent: 4, maxQueue: 256 };

/**
 * The config a test panel runs on. The shipped default requires 2FA for administrators; tests that are not about 2FA
 * sign in with a password alone. The host resource sampler is off unless a test turns it on (it runs df and reads /proc
 * every few seconds in each of the many panels a test run starts).
 */
function testConfig(overrides: Record<string, unknown>): Record<string, unknown> {
  const security = { require2fa: 'none', ...(overrides.security as Record<string, unknown> | undefined) };
  const resources = { enabled: false, ...(overrides.resources as Record<string, unknown> | undefined) };
  // SFTP only where a test asks for it, then on a free port of the loopback address.
  const sftp = { enabled: false, host: '127.0.0.1', port: 0, ...(overrides.sftp as Record<string, unknown> | undefined) };
  return { logLevel: 'silent', http: { host: '127.0.0.1', port: 0 }, passwordHashing: FAST_HASHING, ...overrides, security, resources, sftp };
}

export async function startPanel(overrides: Record<string, unknown> = {}, opts: { clock?: Clock; uiRoot?: string } = {}): Promise<TestPanel> {
  const dir = mkdtempSync(join(tmpdir(), 'aether-test-'));
  const configPath = join(dir, 'config.json');
  // AETHER_TEST_DATABASE=postgres|mysql: a database of its own on that server, unless the test chose one itself.
  const engine = overrides.database ? null : suiteEngine();
  const database = engine ? await createTestDatabase(engine) : null;
  writeFileSync(configPath, JSON.stringify(testConfig(database ? { ...overrides, database: database.config } : overrides)));
  const config: LoadedConfig = loadConfig({ path: configPath, env: {} });
  // AETHER_TEST_LOG=debug shows the panel's own log while debugging a test.
  const logger = process.env.AETHER_TEST_LOG ? createLogger({ level: process.env.AETHER_TEST_LOG }) : silentLogger();
  const panel = await createPanel({ config, logger, ...opts });
  const port = await panel.listen();
  return {
    ...panel,
    url: `http://127.0.0.1:${port}`,
    dir,
    async close() {
      await panel.stop();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A data directory a panel can be started on, stopped and started on again (restart tests). Each start() returns a
 * TestPanel whose close() stops it and keeps the directory; remove() deletes the directory at the end.
 */
export function restartablePanel(overrides: Record<string, unknown> = {}): { dir: string; config: LoadedConfig; start(): Promise<TestPanel>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'aether-restart-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(testConfig(overrides)));
  const config = loadConfig({ path: configPath, env: {} });
  return {
    dir,
    config,
    async start() {
      const panel = await createPanel({ config, logger: silentLogger() });
      const port = await panel.listen();
      return { ...panel, url: `http://127.0.0.1:${port}`, dir, close: () => panel.stop() };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

