// Benchmark child: a real panel (temp SQLite, production password hashing) on a free port; reports one JSON ready line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { systemCaller } from '../src/auth/caller.ts';
import { loadConfig } from '../src/config/index.ts';
import { createPanel, type Panel } from '../src/panel.ts';
import { createLogger } from '../src/shared/logger.ts';
import { reportReady } from './ready-line.ts';

export type BenchUser = { username: string; password: string };

export type PanelServerInfo = {
  port: number;
  pid: number;
  /** The config as the panel loaded it, so the parent can print what was measured. */
  passwordHashing: Record<string, number>;
  rateLimits: Record<string, { points: number; durationSeconds: number; blockSeconds: number }>;
  logLevel: string;
  /** Signs in normally: the legitimate user of the flood and the client of the throughput run. */
  user: BenchUser;
  /** A second real account, the one the login flood guesses passwords for. */
  target: BenchUser;
  /** A third account, with two-factor authentication on (for the wrong-password timing comparison). */
  twoFactorUser: BenchUser;
  /** A fourth account (role users.view + clients.view) and an OAuth2 client of it with both scopes. */
  apiUser: BenchUser;
  oauthClient: { clientId: string; clientSecret: string };
};

/** Config keys the parent overrides, as one JSON argument (e.g. higher API rate limits); everything else is the default. */
const overrides = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'aether-bench-'));

async function start(): Promise<{ panel: Panel; info: PanelServerInfo }> {
  const configPath = join(dir, 'config.json');
  // No passwordHashing key: the schema's production defaults apply (argon2id m=19456 t=2 p=1 and its concurrency cap).
  writeFileSync(configPath, JSON.stringify({ http: { host: '127.0.0.1', port: 0 }, ...overrides }));
  const config = loadConfig({ path: configPath, env: {} });
  // Logging as `aether start` sets it up: the configured level, to stdout and to panel.log (in the temp dir).
  const logger = createLogger({ level: config.logLevel, logDir: config.paths.logDir });
  const panel = await createPanel({ config, logger });
  const port = await panel.listen();

  const operator = await panel.services.roles.getByName('operator');
  const caller = systemCaller('bench');
  const user = { username: 'bench-user', password: 'Quiet-Harbor-Lamp-42' };
  const target = { username: 'flood-target', password: 'Amber-Violin-Stone-77' };
  const twoFactorUser = { username: 'totp-user', password: 'Copper-Kettle-Moon-58' };
  for (const u of [user, target, twoFactorUser]) {
    await panel.services.users.create(caller, { ...u, email: `${u.username}@example.test`, roles: [{ roleId: operator.id, serverId: null }] });
  }
  const row = (await panel.services.users.findForLogin(twoFactorUser.username))!;
  const setup = await panel.services.twoFactor.beginSetup({ id: row.id, username: row.username });
  await panel.services.twoFactor.confirmSetup(caller, { id: row.id, username: row.username }, generateSync({ secret: setup.secret }));
  const apiUser = { username: 'api-user', password: 'Granite-Parcel-Owl-63' };
  const reader = await panel.services.roles.create(caller, { name: 'api-reader', description: '', scopes: ['users.view', 'clients.view'] });
  const apiRow = await panel.services.users.create(caller, { ...apiUser, email: 'api-user@example.test', roles: [{ roleId: reader.id, serverId: null }] });
  const grants = await panel.services.users.grantsOf(apiRow.id);
  const created = await panel.services.oauth.clients.create({ ...caller, actor: { type: 'user', id: apiRow.id, name: apiRow.username, grants } }, { name: 'bench', scopes: ['users.view', 'clients.view'] });
  const oauthClient = { clientId: created.client.id, clientSecret: created.clientSecret };
  const info = { port, pid: process.pid, passwordHashing: config.passwordHashing, rateLimits: config.rateLimits, logLevel: config.logLevel, user, target, twoFactorUser, apiUser, oauthClient };
  return { panel, info };
}

let started: Awaited<ReturnType<typeof start>>;
try {
  started = await start();
} catch (err) {
  rmSync(dir, { recursive: true, force: true });
  throw err;
}
const { panel, info } = started;
reportReady(info);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  panel
    .stop()
    .catch((err: unknown) => console.error('panel stop failed', err))
    .finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
});
