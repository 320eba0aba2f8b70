// Throughput: signed-in GET /api/v1/users/me on the panel against a bare Koa app with a constant JSON body, both under autocannon.
import autocannon, { type Result } from 'autocannon';
import { TestClient } from '../test/helpers/client.ts';
import { PLAIN_COOKIE } from '../src/http/middleware/session.ts';
import type { BareServerInfo } from './bare-koa-server.ts';
import type { PanelServerInfo } from './panel-server.ts';
import { startServer } from './server-process.ts';

export const THROUGHPUT = {
  warmupSeconds: 2,
  durationSeconds: 5,
  /** Every server is measured once per round, round after round, and its median round is reported: drift in the
   * machine's speed during the run (these machines are noisy) then touches all of them alike. */
  rounds: 5,
  connections: 50,
  pipelining: 1,
  /** The schema's ceiling: high enough that the API limits never answer 429 here, so the request path is what is measured. */
  apiPoints: 1_000_000,
  targetRatio: 0.5,
};

export type Run = {
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** req/s of each round, in order; the fields above are the median round's. */
  rounds: number[];
};

export type ThroughputResult = {
  settings: { warmupSeconds: number; durationSeconds: number; rounds: number; connections: number; pipelining: number };
  bare: Run;
  /** Bare Koa plus the panel's request id, security headers and access-log line: what no implementation can skip. */
  floor: Run;
  /** The floor plus koa-session reading a constant session from a store that answers at once: koa-session's own cost. */
  floorSession: Run;
  /** The same panel answering GET /healthz: its outer stack (request id, access log, headers, router) without the API's session, sign-in and limits. */
  panelHealth: Run;
  panel: Run;
  /** Panel req/s over bare Koa req/s. */
  ratio: number;
  /** Floor req/s over bare Koa req/s: the best ratio any Koa app with those duties reaches on this machine. */
  floorRatio: number;
  /** Panel req/s over floor req/s. */
  panelOverFloor: number;
  targetRatio: number;
};

export type Target = { url: string; headers: Record<string, string>; method?: 'GET' | 'POST'; body?: string };
type Sample = Omit<Run, 'rounds'>;

async function sample(target: Target, seconds: number): Promise<Sample> {
  const r: Result = await autocannon({
    url: target.url,
    headers: target.headers,
    ...(target.method ? { method: target.method } : {}),
    ...(target.body !== undefined ? { body: target.body } : {}),
    connections: THROUGHPUT.connections,
    pipelining: THROUGHPUT.pipelining,
    duration: seconds,
  });
  return {
    reqPerSec: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** Warms every target up, then measures them in turn, round after round; returns each target's median round. */
export async function measureInRounds<K extends string>(targets: Record<K, Target>, settings: { rounds: number; durationSeconds: number } = THROUGHPUT): Promise<Record<K, Run>> {
  const names = Object.keys(targets) as K[];
  for (const name of names) await sample(targets[name], THROUGHPUT.warmupSeconds);
  const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>;
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const name of names) samples[name].push(await sample(targets[name], settings.durationSeconds));
  }
  return Object.fromEntries(
    names.map((n) => {
      const runs = samples[n];
      const median = [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor(runs.length / 2)] as Sample;
      return [n, { ...median, rounds: runs.map((x) => x.reqPerSec) }];
    }),
  ) as Record<K, Run>;
}

/** Starts the panel with API limits out of the way and signs the bench user in; returns the Cookie header to send. */
async function signedInPanel(nodeFlags: string[]) {
  const limit = { points: THROUGHPUT.apiPoints, durationSeconds: 60, blockSeconds: 0 };
  const panel = await startServer<PanelServerInfo>('./panel-server.ts', [JSON.stringify({ rateLimits: { apiPerIp: limit, apiPerPrincipal: limit } })], nodeFlags);
  const url = `http://127.0.0.1:${panel.info.port}`;
  const client = new TestClient(url);
  const login = await client.login(panel.info.user.username, panel.info.user.password);
  if (login.status !== 200) throw new Error(`bench login failed: ${login.status} ${login.text}`);
  const me = await client.get('/api/v1/users/me');
  if (me.status !== 200) throw new Error(`GET /api/v1/users/me failed: ${me.status} ${me.text}`);
  return { panel, base: url, url: `${url}/api/v1/users/me`, cookie: client.cookieHeader(), body: me.text };
}

/** nodeFlags are added to every child alike (e.g. --cpu-prof while profiling). */
export async function runThroughput(nodeFlags: string[] = []): Promise<ThroughputResult> {
  // All servers run at once (idle ones cost nothing) so that they can be measured in alternating rounds. The bare
  // apps answer with the very body the panel gave, so every server sends the same JSON.
  const { panel, base, url, cookie, body } = await signedInPanel(nodeFlags);
  const bare = await startServer<BareServerInfo>('./bare-koa-server.ts', ['bare', body], nodeFlags);
  const floor = await startServer<BareServerInfo>('./bare-koa-server.ts', ['floor', body], nodeFlags);
  const floorSession = await startServer<BareServerInfo>('./bare-koa-server.ts', ['floor-session', body], nodeFlags);
  const at = (port: number) => `http://127.0.0.1:${port}/api/v1/users/me`;
  let runs: Record<'bare' | 'floor' | 'floorSession' | 'panelHealth' | 'panel', Run>;
  try {
    runs = await measureInRounds({
      bare: { url: at(bare.info.port), headers: {} },
      floor: { url: at(floor.info.port), headers: {} },
      floorSession: { url: at(floorSession.info.port), headers: { cookie: `${PLAIN_COOKIE}=bench-session-id` } },
      panelHealth: { url: `${base}/healthz`, headers: {} },
      panel: { url, headers: { cookie } },
    });
  } finally {
    await Promise.all([bare.stop(), floor.stop(), floorSession.stop(), panel.stop()]);
  }
  // Three decimals, so that the target is never met by rounding (0.495 is not 0.5).
  const ratio = (a: Run, b: Run) => Math.floor((a.reqPerSec / b.reqPerSec) * 1000) / 1000;
  return {
    settings: { warmupSeconds: THROUGHPUT.warmupSeconds, durationSeconds: THROUGHPUT.durationSeconds, rounds: THROUGHPUT.rounds, connections: THROUGHPUT.connections, pipelining: THROUGHPUT.pipelining },
    ...runs,
    ratio: ratio(runs.panel, runs.bare),
    floorRatio: ratio(runs.floor, runs.bare),
    panelOverFloor: ratio(runs.panel, runs.floor),
    targetRatio: THROUGHPUT.targetRatio,
  };
}
