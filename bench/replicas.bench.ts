// Scale-out: signed-in GET /api/v1/users/me against one panel replica, and against two replicas sharing one MariaDB
// database, one Redis and one data directory (the load split evenly, as a proxy would), measured in alternating rounds.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { TestClient } from '../test/helpers/client.ts';
import { createTestDatabase } from '../test/helpers/databases.ts';
import { REPO_ROOT, startServer } from './server-process.ts';
import type { ReplicaServerArgs, ReplicaServerInfo } from './replica-server.ts';
import { THROUGHPUT } from './throughput.bench.ts';

export const REPLICAS = {
  warmupSeconds: 2,
  durationSeconds: 5,
  rounds: 5,
  connections: 50,
  /**
   * Requests served per CPU-second of the panel processes, two replicas over one replica under the same load per
   * process: what sharing the database and Redis costs each replica's work. At 0.9 or more, replicas on machines of
   * their own add throughput nearly in proportion.
   */
  targetEfficiency: 0.9,
};

export type ReplicasResult = {
  settings: typeof REPLICAS & { cores: number; database: string };
  /** req/s per round. */
  one: number[];
  two: number[];
  oneMedian: number;
  twoMedian: number;
  /** Two replicas' req/s over one replica's, on this machine's cores. */
  ratio: number;
  /** Requests per CPU-second of the panel processes (median round): one replica under all the load, one under half
   * of it (what each of two gets), two replicas; efficiency is two over half. */
  perCpuSecond: { one: number; half: number; two: number };
  efficiency: number;
  errors: { one: number; two: number };
  non2xx: { one: number; two: number };
};

/** The MariaDB and Redis the bench uses: the test servers' addresses, started by the test script when missing. */
function ensureServers(): void {
  if (process.env.AETHER_TEST_MYSQL_URL && process.env.AETHER_TEST_REDIS_URL) return;
  const out = execFileSync('bash', [join(REPO_ROOT, 'scripts/test-databases.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]!] = m[2]!;
}

/** CPU time a process has used so far, in seconds (user + system, from /proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12 here; the kernel counts in 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Load = { reqPerSec: number; requests: number; cpuSeconds: number; errors: number; non2xx: number };

async function load(targets: Array<{ url: string; pid: number }>, cookie: string, seconds: number, connections = REPLICAS.connections): Promise<Load> {
  const per = Math.floor(connections / targets.length);
  const cpuBefore = targets.map((x) => cpuSeconds(x.pid));
  const results: Result[] = await Promise.all(targets.map((x) => autocannon({ url: x.url, headers: { cookie }, connections: per, duration: seconds })));
  const cpu = targets.reduce((sum, x, i) => sum + cpuSeconds(x.pid) - cpuBefore[i]!, 0);
  return {
    reqPerSec: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    requests: results.reduce((sum, r) => sum + r.requests.total, 0),
    cpuSeconds: cpu,
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

export async function runReplicasBench(cores: number): Promise<ReplicasResult> {
  ensureServers();
  const database = await createTestDatabase('mysql');
  const shared = mkdtempSync(join(tmpdir(), 'aether-bench-replicas-'));
  const user = { username: 'bench-user', password: 'Quiet-Harbor-Lamp-42' };
  const limit = { points: THROUGHPUT.apiPoints, durationSeconds: 60, blockSeconds: 0 };
  const config = (name: string) => ({
    dataDir: join(shared, 'data'),
    logDir: join(shared, `logs-${name}`),
    database: database.config,
    redis: { url: process.env.AETHER_TEST_REDIS_URL, keyPrefix: `aether-bench-${randomBytes(4).toString('hex')}:` },
    rateLimits: { apiPerIp: limit, apiPerPrincipal: limit },
    // Replicas on one host: SFTP (one port) stays off; the API is what is measured.
    sftp: { enabled: false },
  });
  const replica = (name: string, seed: boolean) =>
    startServer<ReplicaServerInfo>('./replica-server.ts', [JSON.stringify({ dir: join(shared, name), config: config(name), seed: seed ? user : null } satisfies ReplicaServerArgs)]);
  const a = await replica('a', true);
  const b = await replica('b', false).catch(async (err: unknown) => {
    await a.stop();
    throw err;
  });
  try {
    const url = (port: number) => `http://127.0.0.1:${port}/api/v1/users/me`;
    const client = new TestClient(`http://127.0.0.1:${a.info.port}`);
    const login = await client.login(user.username, user.password);
    if (login.status !== 200) throw new Error(`bench login failed: ${login.status} ${login.text}`);
    const cookie = client.cookieHeader();
    for (const port of [a.info.port, b.info.port]) {
      const res = await fetch(url(port), { headers: { cookie } });
      if (res.status !== 200) throw new Error(`the session does not work on the replica at ${port}: ${res.status}`);
    }
    const targets = { one: [{ url: url(a.info.port), pid: a.pid }], two: [{ url: url(a.info.port), pid: a.pid }, { url: url(b.info.port), pid: b.pid }] };
    for (const list of Object.values(targets)) await load(list, cookie, REPLICAS.warmupSeconds);
    // `half`: one replica under the load each of the two gets (half the connections), the like-for-like baseline of
    // their work per request (a process answering fewer requests at once spends more per request on its event loop).
    const rounds = { one: [] as Load[], half: [] as Load[], two: [] as Load[] };
    for (let i = 0; i < REPLICAS.rounds; i += 1) {
      rounds.one.push(await load(targets.one, cookie, REPLICAS.durationSeconds));
      rounds.half.push(await load(targets.one, cookie, REPLICAS.durationSeconds, REPLICAS.connections / 2));
      rounds.two.push(await load(targets.two, cookie, REPLICAS.durationSeconds));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const one = rounds.one.map((r) => r.reqPerSec);
    const two = rounds.two.map((r) => r.reqPerSec);
    const perCpu = (xs: Load[]) => Math.round(median(xs.map((r) => r.requests / r.cpuSeconds)));
    const perCpuSecond = { one: perCpu(rounds.one), half: perCpu(rounds.half), two: perCpu(rounds.two) };
    const sum = (xs: Array<{ errors: number; non2xx: number }>, k: 'errors' | 'non2xx') => xs.reduce((s, r) => s + r[k], 0);
    return {
      settings: { ...REPLICAS, cores, database: 'mysql' },
      one,
      two,
      oneMedian: median(one),
      twoMedian: median(two),
      ratio: Math.floor((median(two) / median(one)) * 1000) / 1000,
      perCpuSecond,
      efficiency: Math.floor((perCpuSecond.two / perCpuSecond.half) * 1000) / 1000,
      errors: { one: sum(rounds.one, 'errors'), two: sum(rounds.two, 'errors') },
      non2xx: { one: sum(rounds.one, 'non2xx'), two: sum(rounds.two, 'non2xx') },
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await database.drop();
    rmSync(shared, { recursive: true, force: true });
  }
}
