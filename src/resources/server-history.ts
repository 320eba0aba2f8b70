// Per-server history: each running server's CPU, memory, network and disk use, sampled with the host and kept with
// the same bounds (raw for 24 h, 5-minute averages and maxima for 30 days), read as chart columns.
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { ServerReadings } from '../servers/stats.ts';
import { seriesStats } from './downsample.ts';
import { BUCKET_MS, createDownsampledStore, RAW_STEP_MS } from './downsampled.store.ts';
import { resolutionFor, type HistoryQuery, type Resolution } from './history.store.ts';

export const SERVER_SERIES = ['cpuPct', 'cpuLimitPct', 'memoryBytes', 'memoryLimitBytes', 'netRxBps', 'netTxBps', 'diskBytes', 'diskLimitBytes'] as const;
export type ServerSeriesName = (typeof SERVER_SERIES)[number];
type Values = Record<ServerSeriesName, number | null>;

/**
 * One reading of one server (its name for alert titles, not kept in the history). cpuPct: 100 is one core, as is
 * cpuLimitPct; rates are null on a server's first reading and after a restart.
 */
export type ServerSample = { serverId: string; name: string; ts: number } & Values;

/** Where the readings come from: the servers service. */
export type ServerSource = {
  running(): Promise<Array<{ id: string; name: string }>>;
  readings(id: string): Promise<ServerReadings | null>;
};

/** Servers read at once: each reading is a call to the server's Docker Engine. */
const CONCURRENCY = 4;

const round1 = (n: number) => Math.round(n * 10) / 10;

export type ServerSampler = ReturnType<typeof createServerSampler>;

export function createServerSampler(deps: { clock: Clock; source: ServerSource; onError?: (err: unknown, serverId: string) => void }) {
  const prev = new Map<string, ServerReadings & { ts: number }>();

  /** Rate of a counter since the previous reading; null without one or when the counter went back (a new container). */
  const rate = (now: number, before: number | undefined, seconds: number) => (before === undefined || now < before || seconds <= 0 ? null : Math.round((now - before) / seconds));

  function toSample(serverId: string, name: string, ts: number, r: ServerReadings): ServerSample {
    const p = prev.get(serverId);
    const seconds = p ? (ts - p.ts) / 1000 : 0;
    const dCpu = p ? r.cpuNs - p.cpuNs : -1;
    const dSystem = p ? r.systemCpuNs - p.systemCpuNs : 0;
    return {
      serverId,
      name,
      ts,
      cpuPct: dCpu >= 0 && dSystem > 0 ? round1((dCpu / dSystem) * r.onlineCpus * 100) : null,
      cpuLimitPct: Math.round(r.cpuLimit * 100),
      memoryBytes: r.memoryBytes,
      memoryLimitBytes: r.memoryLimitBytes,
      netRxBps: rate(r.netRxBytes, p?.netRxBytes, seconds),
      netTxBps: rate(r.netTxBytes, p?.netTxBytes, seconds),
      diskBytes: r.diskBytes,
      diskLimitBytes: r.diskLimitBytes,
    };
  }

  return {
    /** Reads every running server (a few at a time); a server that cannot be read is left out of this round. */
    async sample(): Promise<ServerSample[]> {
      const servers = await deps.source.running();
      const out: ServerSample[] = [];
      let next = 0;
      const worker = async () => {
        while (next < servers.length) {
          const { id, name } = servers[next++]!;
          try {
            const r = await deps.source.readings(id);
            const ts = deps.clock.now();
            if (!r) {
              prev.delete(id);
              continue;
            }
            out.push(toSample(id, name, ts, r));
            prev.set(id, { ...r, ts });
          } catch (err) {
            deps.onError?.(err, id);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, servers.length) }, worker));
      // Servers no longer running start again from no previous reading.
      const running = new Set(servers.map((x) => x.id));
      for (const id of prev.keys()) if (!running.has(id)) prev.delete(id);
      return out.sort((a, b) => a.serverId.localeCompare(b.serverId));
    },
  };
}

type Aggregate = { n: number; avg: Values; max: Values };

/** A server's history as chart columns: one timestamp per point, each series aligned with it (null: no value, or a gap). */
export type ServerHistory = {
  resolution: Resolution;
  stepMs: number;
  from: number;
  to: number;
  ts: number[];
  series: Record<ServerSeriesName, Array<number | null>>;
  /** 5 min: the maxima of each bucket; 10 s: null. */
  max: Record<ServerSeriesName, Array<number | null>> | null;
};

const emptySeries = () => Object.fromEntries(SERVER_SERIES.map((name) => [name, []])) as unknown as Record<ServerSeriesName, Array<number | null>>;

function toColumns(points: Array<{ ts: number; values: Values; max: Values | null }>, base: Omit<ServerHistory, 'ts' | 'series' | 'max'>, gapMs: number): ServerHistory {
  const out: ServerHistory = { ...base, ts: [], series: emptySeries(), max: base.resolution === '5m' ? emptySeries() : null };
  const push = (ts: number, p: (typeof points)[number] | null) => {
    out.ts.push(ts);
    for (const name of SERVER_SERIES) {
      out.series[name].push(p ? (p.values[name] ?? null) : null);
      out.max?.[name].push(p?.max ? (p.max[name] ?? null) : null);
    }
  };
  let prev: number | null = null;
  for (const p of points) {
    // A null point across each gap (the server was stopped), so a chart does not draw a line over it.
    if (prev !== null && p.ts - prev > gapMs) push(prev + base.stepMs, null);
    push(p.ts, p);
    prev = p.ts;
  }
  return out;
}

export type ServerHistoryStore = ReturnType<typeof createServerHistoryStore>;

export function createServerHistoryStore(deps: { db: Db; clock: Clock; intervalMs: number }) {
  const store = createDownsampledStore<Values, Aggregate>({
    db: deps.db,
    clock: deps.clock,
    table: 'server_history',
    keyColumn: 'server_id',
    aggregate: (samples) => ({ n: samples.length, ...seriesStats<ServerSeriesName>(samples, SERVER_SERIES) }),
  });

  return {
    add: (samples: readonly ServerSample[]): Promise<void> => store.add(samples.map(({ serverId, name: _name, ts, ...values }) => ({ key: serverId, ts, data: values }))),

    /** 'auto' is 10 s for ranges up to 24 h, else 5 min. */
    async query(serverId: string, q: HistoryQuery): Promise<ServerHistory> {
      const resolution = resolutionFor(q);
      if (resolution === '10s') {
        const step = Math.max(RAW_STEP_MS, deps.intervalMs);
        const points = (await store.raw(serverId, q.from, q.to)).map((p) => ({ ts: p.ts, values: p.data, max: null }));
        return toColumns(points, { resolution, stepMs: step, from: q.from, to: q.to }, 3 * step);
      }
      const points = (await store.aggregated(serverId, q.from, q.to)).map((p) => ({ ts: p.ts, values: p.data.avg, max: p.data.max }));
      return toColumns(points, { resolution, stepMs: BUCKET_MS, from: q.from, to: q.to }, BUCKET_MS * 1.5);
    },

    counts: (serverId?: string) => store.counts(serverId),

    /** Deletes the history of servers that no longer exist. */
    forgetDeleted: () => store.keepOnly(deps.db('servers').select('id')),
  };
}
