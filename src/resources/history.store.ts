// The sample history, bounded: raw samples (one per 10-second slot) for 24 h, 5-minute aggregates for 30 days, read as chart columns.
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { aggregate, type Aggregate, type Values } from './downsample.ts';
import { BUCKET_MS, createDownsampledStore, RAW_STEP_MS } from './downsampled.store.ts';
import { MAX_MOUNTS } from './sampler.ts';
import { SERIES, type ResourceSample, type SeriesName } from './sample.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export { BUCKET_KEEP_MS, BUCKET_MS, MAX_ROWS, RAW_KEEP_MS, RAW_STEP_MS } from './downsampled.store.ts';

export type Resolution = '10s' | '5m';
export type HistoryQuery = { from: number; to: number; resolution?: 'auto' | Resolution | undefined };

/** Columns for a chart: one timestamp per point, each series aligned with it (null: no value, or a gap in sampling). */
export type History = {
  resolution: Resolution;
  stepMs: number;
  from: number;
  to: number;
  ts: number[];
  /** The sample's values (10 s), or the averages of each bucket (5 min). */
  series: Record<SeriesName, Array<number | null>>;
  /** 5 min: the maxima of each bucket; 10 s: null. */
  max: Record<SeriesName, Array<number | null>> | null;
  disks: Array<{ mount: string; usedPct: Array<number | null>; usedPctMax: Array<number | null> | null; sizeBytes: number | null }>;
};

type Point = { ts: number; values: Values; max: Values | null; disks: Map<string, { usedPct: number; usedPctMax: number | null; sizeBytes: number }> };

const rawData = ({ ts: _ts, ...rest }: ResourceSample): Omit<ResourceSample, 'ts'> => rest;

function rawPoint(ts: number, s: Omit<ResourceSample, 'ts'>): Point {
  const values = {} as Values;
  for (const name of SERIES) values[name] = s[name] ?? null;
  return { ts, values, max: null, disks: new Map(s.disks.map((d) => [d.mount, { usedPct: d.usedPct, usedPctMax: null, sizeBytes: d.sizeBytes }])) };
}

function aggregatePoint(ts: number, a: Aggregate): Point {
  return { ts, values: a.avg, max: a.max, disks: new Map(a.disks.map((d) => [d.mount, { usedPct: d.avg.usedPct, usedPctMax: d.max.usedPct, sizeBytes: d.max.sizeBytes }])) };
}

function emptySeries(): Record<SeriesName, Array<number | null>> {
  return Object.fromEntries(SERIES.map((name) => [name, []])) as unknown as Record<SeriesName, Array<number | null>>;
}

/** Points as columns; a null point marks each gap longer than gapMs, so a chart does not draw a line across it. */
function toColumns(points: Point[], resolution: Resolution, stepMs: number, gapMs: number, from: number, to: number): History {
  const withMax = resolution === '5m';
  const out: History = { resolution, stepMs, from, to, ts: [], series: emptySeries(), max: withMax ? emptySeries() : null, disks: [] };
  const mounts = new Map<string, History['disks'][number]>();
  for (const p of points) for (const m of p.disks.keys()) if (!mounts.has(m) && mounts.size < MAX_MOUNTS) mounts.set(m, { mount: m, usedPct: [], usedPctMax: withMax ? [] : null, sizeBytes: null });
  const push = (ts: number, p: Point | null) => {
    out.ts.push(ts);
    for (const name of SERIES) {
      out.series[name].push(p ? p.values[name] : null);
      out.max?.[name].push(p?.max ? p.max[name] : null);
    }
    for (const [m, d] of mounts) {
      const v = p?.disks.get(m);
      d.usedPct.push(v ? v.usedPct : null);
      d.usedPctMax?.push(v ? v.usedPctMax : null);
      if (v) d.sizeBytes = v.sizeBytes;
    }
  };
  let prev: number | null = null;
  for (const p of points) {
    if (prev !== null && p.ts - prev > gapMs) push(prev + stepMs, null);
    push(p.ts, p);
    prev = p.ts;
  }
  out.disks = [...mounts.values()];
  return out;
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;

export function createHistoryStore(deps: { db: Db; clock: Clock; intervalMs: number }) {
  const store = createDownsampledStore<Omit<ResourceSample, 'ts'>, Aggregate>({ db: deps.db, clock: deps.clock, table: 'resource_history', aggregate });

  return {
    /** Stores samples (one transaction however many), one per 10-second slot; aggregates and deletes as time goes on. */
    add: (samples: readonly ResourceSample[]): Promise<void> => store.add(samples.map((s) => ({ key: '', ts: s.ts, data: rawData(s) }))),

    /** 'auto' is 10 s for ranges up to 24 h, else 5 min. The bucket still open is computed from its raw samples. */
    async query(q: HistoryQuery): Promise<History> {
      const resolution = resolutionFor(q);
      if (resolution === '10s') {
        const points = (await store.raw('', q.from, q.to)).map((p) => rawPoint(p.ts, p.data));
        // A late sample can miss a slot; more than 3 intervals without one is a gap (as for the thresholds).
        const step = Math.max(RAW_STEP_MS, deps.intervalMs);
        return toColumns(points, resolution, step, 3 * step, q.from, q.to);
      }
      const points = (await store.aggregated('', q.from, q.to)).map((p) => aggregatePoint(p.ts, p.data));
      // A bucket without a row had no sample for 5 minutes.
      return toColumns(points, resolution, BUCKET_MS, BUCKET_MS * 1.5, q.from, q.to);
    },

    /** Rows kept, per resolution. */
    counts: () => store.counts(),
  };
}

/** 'auto' is 10 s for ranges up to 24 h, else 5 min. */
export const resolutionFor = (q: HistoryQuery): Resolution => (q.resolution === '10s' || q.resolution === '5m' ? q.resolution : q.to - q.from <= DAY ? '10s' : '5m');
