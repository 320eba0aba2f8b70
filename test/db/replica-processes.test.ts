// Two panel processes (`aether start`, as a host runs them) on one MariaDB database and one Redis, started at the same
// moment: a session made on one works on the other; a thousand audited changes sent through both at once form one
// chain; a password brute force split between them is detected once, by the replica evaluating the rules for both,
// and the address is banned on both (neither sees enough on its own to detect it). When the evaluating replica stops,
// the other takes over.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyAuditChain } from '../../src/audit/index.ts';
import { createDb } from '../../src/db/index.ts';
import { TestClient } from '../helpers/client.ts';
import { cleanups } from '../helpers/cleanup.ts';
import { createTestDatabase, needsEngine } from '../helpers/databases.ts';
import { eventually } from '../helpers/mail-server.ts';
import { FAST_HASHING } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_PASSWORD = 'Quiet-Harbor-Lamp-42';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Replica = { url: string; child: ChildProcess; output: () => string; stop(): Promise<void> };

/** `aether start` with this config, as a child process. */
function startReplica(configPath: string, port: number): Replica {
  const child = spawn(process.execPath, [join(ROOT, 'bin/aether.js'), 'start', '--config', configPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test' } });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const replica: Replica = {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
  return replica;
}

async function healthy(r: Replica): Promise<boolean> {
  if (r.child.exitCode !== null) throw new Error(`the panel exited (${r.child.exitCode}):\n${r.output()}`);
  try {
    return (await fetch(`${r.url}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

test('two panel processes on one MariaDB and one Redis: one session, one audit chain, a split brute force detected once and banned on both', { timeout: 240_000 }, async (t) => {
  const redisUrl = process.env.AETHER_TEST_REDIS_URL;
  if (!needs(t, 'Redis', Boolean(redisUrl), 'server not given: AETHER_TEST_REDIS_URL is unset (eval "$(scripts/test-databases.sh)" as root starts Debian\'s redis-server)')) return;
  if (!needsEngine(t, 'mysql')) return;
  const defer = cleanups(t);
  const database = await createTestDatabase('mysql');
  defer(() => database.drop());
  const shared = mkdtempSync(join(tmpdir(), 'aether-replica-procs-'));
  defer(() => rmSync(shared, { recursive: true, force: true }));

  const keyPrefix = `aether-test-${randomBytes(4).toString('hex')}:`;
  const replicas: Replica[] = [];
  const configs: string[] = [];
  defer(async () => {
    for (const r of replicas) await r.stop();
  });
  // Both start at the same moment on an empty database: one migrates it, the other waits for that.
  for (const name of ['a', 'b']) {
    const port = await freePort();
    const dir = join(shared, name);
    mkdirSync(dir);
    const configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        logLevel: 'info',
        http: { host: '127.0.0.1', port },
        dataDir: join(shared, 'data'),
        logDir: join(dir, 'logs'),
        database: database.config,
        redis: { url: redisUrl, keyPrefix },
        passwordHashing: FAST_HASHING,
        security: { require2fa: 'none' },
        // The administrator below sends a thousand requests in a few seconds.
        rateLimits: { apiPerIp: { points: 100_000, durationSeconds: 60, blockSeconds: 0 }, apiPerPrincipal: { points: 100_000, durationSeconds: 60, blockSeconds: 0 } },
        resources: { enabled: false },
        sftp: { enabled: false },
      }),
    );
    replicas.push(startReplica(configPath, port));
    configs.push(configPath);
  }
  const [a, b] = replicas as [Replica, Replica];
  await eventually(async () => (await healthy(a)) && (await healthy(b)), 'both replicas answer', 120_000, 250);
  const db = createDb(database.config, null);
  defer(() => db.destroy());

  // An administrator made with the command line on the shared database signs in on A; the session works on B.
  const made = spawnSync(process.execPath, [join(ROOT, 'bin/aether.js'), 'user', 'create', '--username', 'warden', '--email', 'warden@example.test', '--admin', '--config', configs[0]!], {
    cwd: ROOT,
    env: { ...process.env, AETHER_PASSWORD: ADMIN_PASSWORD },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
  const admin = new TestClient(a.url);
  assert.equal((await admin.login('warden', ADMIN_PASSWORD)).status, 200);
  const onB = await fetch(`${b.url}/api/v1/users/me`, { headers: { Cookie: admin.cookieHeader() } });
  assert.equal(onB.status, 200);
  assert.equal(((await onB.json()) as { user: { username: string } }).user.username, 'warden');
  // The same session (cookie and CSRF token) sent to B, as a proxy would.
  const adminOnB = new TestClient(b.url);
  for (const [name, value] of admin.jar) adminOnB.jar.set(name, value);
  adminOnB.csrf = admin.csrf;

  // A thousand audited changes at once, half through each process (each ban is one event): one chain, none lost.
  const before = (await verifyAuditChain(db)).count;
  const banning: Array<Promise<{ status: number; text: string }>> = [];
  for (let i = 0; i < 1000; i += 1) {
    const client = i % 2 === 0 ? admin : adminOnB;
    banning.push(client.post('/api/v1/monitor/bans', { ip: `198.18.${Math.floor(i / 250)}.${i % 250}`, durationMinutes: 10, reason: `replica ${i % 2}` }));
  }
  const answers = await Promise.all(banning);
  assert.deepEqual([...new Set(answers.map((r) => r.status))], [201], answers.find((r) => r.status !== 201)?.text);
  const chain = await verifyAuditChain(db);
  assert.equal(chain.ok, true, JSON.stringify(chain));
  assert.ok(chain.count >= before + 1000, `${chain.count} events after ${before}`);
  const created = (await db('audit_events').where({ type: 'monitor.ban.created' }).count({ n: '*' }).first()) as { n: number | string };
  assert.equal(Number(created.n), 1000, 'every ban audited once');

  // Ten failed sign-ins from one address, five on each replica, alternating: the rule panel-login-brute-force fires
  // at ten. The login limit per address and account turns some into 429s; the rule counts those too.
  const attacker = '127.0.9.9';
  for (let i = 0; i < 10; i += 1) {
    const target = i % 2 === 0 ? a : b;
    const res = await new TestClient(target.url, { localAddress: attacker }).login(`nobody-${i % 3}`, `Wrong-Guess-${i}x`);
    assert.ok([401, 429].includes(res.status), `attempt ${i + 1} on ${target.url}: ${res.status} ${res.text}`);
  }

  // Banned on both replicas.
  const bannedOn = async (r: Replica) => {
    const res = await new TestClient(r.url, { localAddress: attacker }).get('/api/v1/auth/session');
    return res.status === 403 && (res.body as { error?: { code?: string } }).error?.code === 'ip_banned';
  };
  await eventually(async () => (await bannedOn(a)) && (await bannedOn(b)), 'the attacker banned on both replicas', 30_000, 100);
  // Another address is not.
  const bystander = await new TestClient(b.url, { localAddress: '127.0.9.10' }).get('/api/v1/auth/session');
  assert.notEqual(bystander.status, 403);

  // Detected once: one detection, one ban, one alert, whichever replica evaluated it.
  const detections = (await db('detections').where({ rule: 'panel-login-brute-force' })) as Array<{ ip: string; count: number }>;
  assert.equal(detections.length, 1, JSON.stringify(detections));
  assert.equal(detections[0]!.ip, attacker);
  assert.equal(detections[0]!.count, 10);
  const bans = (await db('bans').where({ ip_key: attacker })) as Array<{ rule: string }>;
  assert.equal(bans.length, 1);
  assert.equal(bans[0]!.rule, 'panel-login-brute-force');
  const alerts = ((await db('alerts').where({ ip: attacker })) as Array<{ title: string }>).filter((x) => /brute force/i.test(x.title));
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  // Exactly one of them took the evaluator lease.
  const LEADER = 'this replica evaluates the monitor rules for every replica';
  const logOf = (name: string) => readFileSync(join(shared, name, 'logs', 'panel.log'), 'utf8');
  const leaders = ['a', 'b'].filter((name) => logOf(name).includes(LEADER));
  assert.equal(leaders.length, 1, `${logOf('a')}\n${logOf('b')}`);

  // The evaluating replica stops: the other takes the lease over and goes on detecting.
  const [gone, left] = leaders[0] === 'a' ? [a, b] : [b, a];
  await gone.stop();
  await eventually(() => logOf(leaders[0] === 'a' ? 'b' : 'a').includes(LEADER), 'the other replica evaluating', 30_000, 100);
  const second = '127.0.9.11';
  for (let i = 0; i < 10; i += 1) {
    const res = await new TestClient(left.url, { localAddress: second }).login(`someone-${i % 3}`, `Wrong-Guess-${i}x`);
    assert.ok([401, 429].includes(res.status), `attempt ${i + 1}: ${res.status} ${res.text}`);
  }
  await eventually(async () => (await new TestClient(left.url, { localAddress: second }).get('/api/v1/auth/session')).status === 403, 'the second attacker banned', 30_000, 100);
  assert.equal(((await db('detections').where({ rule: 'panel-login-brute-force', ip: second })) as unknown[]).length, 1);
});
