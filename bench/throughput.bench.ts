// Throughput: signed-in GET /api/v1/users/me on the panel against a bare Koa app with a constant JSON body, both under autocannon.
import autocannon, { type Result } from 'autocannon';
import { TestClient } from '../test/helpers/client.ts';
import { PLAIN_COOKIE } from '../src/http/middleware/session.ts';
import type { BareServerInfo } from './bare-koa-server.ts';
import type { PanelServerInfo } from './panel-server.ts';
import { startServer } from './server-process.ts';

export const THROUGHPUT = {
  warmupSeconds: 2,
  durationSeconds: 10,
  connections: 50,
  pipelining: 1,
  /** The schema's ceiling: high enough that the API limits never answer 429 here, so the request path is what is measured. */
  apiPoints: 1_000_000,
  targetRatio: 0.5,
};

export type Run = { reqPerSec: number; latencyP50Ms: number; latencyP99Ms: number; requests: number; non2xx: number; errors: number; timeouts: number };

export type ThroughputResult = {
  settings: { warmupSeconds: number; durationSeconds: number; connections: number; pipelining: number };
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

async function measure(url: string, headers: Record<string, string>): Promise<Run> {
  const opts = { url, headers, connections: THROUGHPUT.connections, pipelining: THROUGHPUT.pipelining };
  await autocannon({ ...opts, duration: THROUGHPUT.warmupSeconds });
  const r: Result = await autocannon({ ...opts, duration: THROUGHPUT.durationSeconds });
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
  return { panel, base: url, url: `${url}/api/v1/users/me`, cookie: client.cookieHeader() };
}

/** nodeFlags are added to both children alike (e.g. --cpu-prof while profiling). */
export async function runThroughput(nodeFlags: string[] = []): Promise<ThroughputResult> {
  const measureBare = async (args: string[], headers: Record<string, string> = {}) => {
    const bare = await startServer<BareServerInfo>('./bare-koa-server.ts', args, nodeFlags);
    try {
      return await measure(`http://127.0.0.1:${bare.info.port}/api/v1/users/me`, headers);
    } finally {
      await bare.stop();
    }
  };
  const bareRun = await measureBare([]);
  const floorRun = await measureBare(['floor']);
  const floorSessionRun = await measureBare(['floor-session'], { cookie: `${PLAIN_COOKIE}=bench-session-id` });
  const { panel, base, url, cookie } = await signedInPanel(nodeFlags);
  let panelRun: Run;
  let healthRun: Run;
  try {
    panelRun = await measure(url, { cookie });
    healthRun = await measure(`${base}/healthz`, {});
  } finally {
    await panel.stop();
  }
  return {
    settings: { warmupSeconds: THROUGHPUT.warmupSeconds, durationSeconds: THROUGHPUT.durationSeconds, connections: THROUGHPUT.connections, pipelining: THROUGHPUT.pipelining },
    bare: bareRun,
    floor: floorRun,
    floorSession: floorSessionRun,
    panelHealth: healthRun,
    panel: panelRun,
    ratio: Math.round((panelRun.reqPerSec / bareRun.reqPerSec) * 100) / 100,
    floorRatio: Math.round((floorRun.reqPerSec / bareRun.reqPerSec) * 100) / 100,
    panelOverFloor: Math.round((panelRun.reqPerSec / floorRun.reqPerSec) * 100) / 100,
    targetRatio: THROUGHPUT.targetRatio,
  };
}
