// Benchmark child: one panel replica on the database, Redis and data directory the parent gives (one JSON argument);
// with "seed", it also makes the account the load signs in as. Reports one JSON ready line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemCaller } from '../src/auth/caller.ts';
import { loadConfig } from '../src/config/index.ts';
import { createPanel } from '../src/panel.ts';
import { createLogger } from '../src/shared/logger.ts';
import { reportReady } from './ready-line.ts';

export type ReplicaServerArgs = { dir: string; config: Record<string, unknown>; seed: { username: string; password: string } | null };
export type ReplicaServerInfo = { port: number; pid: number };

const args = JSON.parse(process.argv[2] ?? '{}') as ReplicaServerArgs;
mkdirSync(args.dir, { recursive: true });
const configPath = join(args.dir, 'config.json');
writeFileSync(configPath, JSON.stringify({ http: { host: '127.0.0.1', port: 0 }, ...args.config }));
const config = loadConfig({ path: configPath, env: {} });
const panel = await createPanel({ config, logger: createLogger({ level: config.logLevel, logDir: config.paths.logDir }) });
const port = await panel.listen();
if (args.seed) {
  const operator = await panel.services.roles.getByName('operator');
  await panel.services.users.create(systemCaller('bench'), { ...args.seed, email: `${args.seed.username}@example.test`, roles: [{ roleId: operator.id, serverId: null }] });
}
reportReady({ port, pid: process.pid } satisfies ReplicaServerInfo);

process.on('SIGTERM', () => {
  panel
    .stop()
    .catch((err: unknown) => console.error('panel stop failed', err))
    .finally(() => process.exit(0));
});
