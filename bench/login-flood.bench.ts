// Login flood: concurrent wrong-password logins from one address while a real user signs in from another; peak RSS, latency, 429s.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestClient, type Res } from '../test/helpers/client.ts';
import type { PanelServerInfo } from './panel-server.ts';
import { startServer } from './server-process.ts';

export const LOGIN_FLOOD = {
  floodRequests: 500,
  floodAddress: '127.0.0.1',
  userAddress: '127.0.0.2',
  sampleEveryMs: 50,
  /** Sequential logins with no flood; their median is the baseline. */
  baselineLogins: 5,
  /** A refused (429) legitimate login is retried after Retry-After, as the web UI's user would, at most this often. */
  maxUserAttempts: 10,
  targetPeakRssMiB: 300,
};

export type LoginFloodResult = {
  passwordHashing: Record<string, number>;
  floodRequests: number;
  floodMs: number;
  /** Flood answers by "status code" (e.g. "429 hasher_busy"); "error" for a failed connection. */
  floodOutcomes: Record<string, number>;
  flood429: number;
  /** Flood attempts whose password was actually checked (answered 401), against the configured failure limits. */
  floodChecked: number;
  loginLimits: { perIp: number; perAccount: number };
  rssBeforeMiB: number;
  /** Highest VmRSS seen by the 50 ms sampler during the flood. */
  peakSampledRssMiB: number;
  /** VmHWM at the end: the kernel's own peak RSS of the panel process since it started, no sampling gaps. */
  peakRssMiB: number;
  rssSamples: number;
  baselineMs: number;
  baselineRunsMs: number[];
  user: { firstStatus: number; firstMs: number; attempts: number; status: number; ms: number };
  /** The legitimate login under flood (until signed in) over the baseline. */
  latencyRatio: number;
  targetPeakRssMiB: number;
};

type Memory = { rssKiB: number; hwmKiB: number };

function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
}

function sampleMemory(pid: number, everyMs: number): { stop(): Memory[] } {
  const samples: Memory[] = [readMemory(pid)];
  const timer = setInterval(() => samples.push(readMemory(pid)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(readMemory(pid));
      return samples;
    },
  };
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
const round = (ms: number) => Math.round(ms * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function timedLogin(base: string, address: string, username: string, password: string): Promise<{ res: Res; ms: number }> {
  const client = new TestClient(base, { localAddress: address });
  const start = performance.now();
  const res = await client.login(username, password);
  return { res, ms: performance.now() - start };
}

/** Signs the legitimate user in, retrying a 429 after its Retry-After; the latency runs from the first try to success. */
async function userLogin(base: string, user: PanelServerInfo['user']): Promise<LoginFloodResult['user']> {
  const start = performance.now();
  let first: { status: number; ms: number } | undefined;
  for (let attempt = 1; ; attempt += 1) {
    const { res, ms } = await timedLogin(base, LOGIN_FLOOD.userAddress, user.username, user.password);
    first ??= { status: res.status, ms: round(ms) };
    if (res.status !== 429 || attempt >= LOGIN_FLOOD.maxUserAttempts) {
      return { firstStatus: first.status, firstMs: first.ms, attempts: attempt, status: res.status, ms: round(performance.now() - start) };
    }
    await sleep(Number(res.headers['retry-after'] ?? 1) * 1000);
  }
}

function outcome(res: Res): string {
  const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
  return code ? `${res.status} ${code}` : String(res.status);
}

export async function runLoginFlood(): Promise<LoginFloodResult> {
  // Default config: production hashing and the default rate limits.
  const panel = await startServer<PanelServerInfo>('./panel-server.ts');
  try {
    const { port, user, target } = panel.info;
    const base = `http://127.0.0.1:${port}`;

    const warm = await timedLogin(base, LOGIN_FLOOD.userAddress, user.username, user.password);
    if (warm.res.status !== 200) throw new Error(`warm-up login failed: ${warm.res.status} ${warm.res.text}`);
    const baselineRunsMs: number[] = [];
    for (let i = 0; i < LOGIN_FLOOD.baselineLogins; i += 1) {
      const { res, ms } = await timedLogin(base, LOGIN_FLOOD.userAddress, user.username, user.password);
      if (res.status !== 200) throw new Error(`baseline login failed: ${res.status} ${res.text}`);
      baselineRunsMs.push(round(ms));
    }
    const baselineMs = median(baselineRunsMs);

    const before = readMemory(panel.pid);
    const sampler = sampleMemory(panel.pid, LOGIN_FLOOD.sampleEveryMs);
    const floodStart = performance.now();
    const flood = Array.from({ length: LOGIN_FLOOD.floodRequests }, (_, i) =>
      timedLogin(base, LOGIN_FLOOD.floodAddress, target.username, `Wrong-Guess-${i}-x`).then(
        ({ res }) => outcome(res),
        () => 'error',
      ),
    );
    // Sent in the same tick as the flood, so it arrives while the flood is being served.
    const legit = await userLogin(base, user);
    const outcomes = await Promise.all(flood);
    const floodMs = round(performance.now() - floodStart);
    const samples = sampler.stop();

    const floodOutcomes: Record<string, number> = {};
    for (const o of outcomes) floodOutcomes[o] = (floodOutcomes[o] ?? 0) + 1;
    const last = samples[samples.length - 1] as Memory;
    return {
      passwordHashing: panel.info.passwordHashing,
      floodRequests: LOGIN_FLOOD.floodRequests,
      floodMs,
      floodOutcomes,
      flood429: outcomes.filter((o) => o.startsWith('429')).length,
      floodChecked: outcomes.filter((o) => o.startsWith('401')).length,
      loginLimits: { perIp: panel.info.rateLimits.loginPerIp!.points, perAccount: panel.info.rateLimits.loginPerAccount!.points },
      rssBeforeMiB: mib(before.rssKiB),
      peakSampledRssMiB: mib(Math.max(...samples.map((s) => s.rssKiB))),
      peakRssMiB: mib(last.hwmKiB),
      rssSamples: samples.length,
      baselineMs,
      baselineRunsMs,
      user: legit,
      latencyRatio: Math.round((legit.ms / baselineMs) * 100) / 100,
      targetPeakRssMiB: LOGIN_FLOOD.targetPeakRssMiB,
    };
  } finally {
    await panel.stop();
  }
}
