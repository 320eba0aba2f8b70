// The sample history, bounded: raw samples (one per 10-second slot) for 24 h, 5-minute aggregates for 30 days, read as chart columns.
import type { Knex } from 'knex';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { aggregate, type Aggregate, type Values } from './downsample.ts';
import { MAX_MOUNTS } from './sampler.ts';
import { SERIES, type ResourceSample, type SeriesName } from './sample.ts';

const TABLE = 'resource_history';
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RAW_STEP_MS = 10 * SECOND;
export const BUCKET_MS = 300 * SECOND;
export const RAW_KEEP_MS = DAY;
export const BUCKET_KEEP_MS = 30 * DAY;
/** The most rows the table holds: every raw slot of a day and every bucket of 30 days, each window's edge included. */
export const MAX_ROWS = RAW_KEEP_MS / RAW_STEP_MS + 1 + BUCKET_KEEP_MS / BUCKET_MS + 1;

const RAW = RAW_STEP_MS / SECOND;
const AGG = BUCKET_MS / SECOND;
/** A query never reads more rows than this (a full day of raw slots, or 30 days of buckets, is 8,640). */
const MAX_POINTS = 20_000;

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

type Row = { ts: number | string; data: string };
type Point = { ts: number; values: Values; max: Values | null; disks: Map<string, { usedPct: number; usedPctMax: number | null; sizeBytes: number }> };

const rawData = ({ ts: _ts, ...rest }: ResourceSample): Omit<ResourceSample, 'ts'> => rest;
const floorTo = (ts: number, step: number) => Math.floor(ts / step) * step;

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
  const { db, clock } = deps;
  /** Start of the first bucket not yet aggregated (known after the first read of the table). */
  let aggregatedUntil: number | null = null;

  async function readAggregatedUntil(q: Knex | Knex.Transaction): Promise<number> {
    if (aggregatedUntil !== null) return aggregatedUntil;
    const row = (await q(TABLE).where({ resolution: AGG }).max({ m: 'ts' }).first()) as { m: number | string | null } | undefined;
    return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + BUCKET_MS;
  }

  /** Raw rows of the closed buckets not yet aggregated, grouped by bucket. */
  async function buckets(q: Knex | Knex.Transaction, since: number, before: number): Promise<Array<{ ts: number; agg: Aggregate }>> {
    const rows = (await q(TABLE).where({ resolution: RAW }).andWhere('ts', '>=', since).andWhere('ts', '<', before).orderBy('ts').select('ts', 'data')) as Row[];
    const groups = new Map<number, Array<Omit<ResourceSample, 'ts'>>>();
    for (const r of rows) {
      const b = floorTo(Number(r.ts), BUCKET_MS);
      const list = groups.get(b);
      const sample = JSON.parse(r.data) as Omit<ResourceSample, 'ts'>;
      if (list) list.push(sample);
      else groups.set(b, [sample]);
    }
    return [...groups].map(([ts, samples]) => ({ ts, agg: aggregate(samples) }));
  }

  /**
   * Aggregates every closed bucket not aggregated yet (from `earliest` on too: samples older than the last aggregate,
   * after the clock went back), then deletes what is past its retention. Returns the new aggregatedUntil: the open bucket.
   */
  async function compact(trx: Knex.Transaction, earliest: number): Promise<number> {
    const now = clock.now();
    const open = floorTo(now, BUCKET_MS);
    const since = Math.min(await readAggregatedUntil(trx), floorTo(earliest, BUCKET_MS), open);
    if (open > since) {
      // A bucket aggregated already keeps its row (ignore): its raw samples may be gone by now.
      const closed = await buckets(trx, since, open);
      const rows = closed.map((b) => ({ resolution: AGG, ts: b.ts, n: b.agg.n, data: JSON.stringify(b.agg) }));
      for (let i = 0; i < rows.length; i += 200) await trx(TABLE).insert(rows.slice(i, i + 200)).onConflict(['resolution', 'ts']).ignore();
    }
    await trx(TABLE).where({ resolution: RAW }).andWhere('ts', '<', now - RAW_KEEP_MS).delete();
    await trx(TABLE).where({ resolution: AGG }).andWhere('ts', '<', now - BUCKET_KEEP_MS).delete();
    return open;
  }

  return {
    /**
     * Stores samples (one transaction however many): each in its 10-second slot (the first sample of a slot wins, so
     * a shorter sampling interval keeps the same bound), then aggregates closed buckets and deletes old rows.
     */
    async add(samples: readonly ResourceSample[]): Promise<void> {
      const slots = new Map<number, ResourceSample>();
      for (const s of samples) {
        const slot = floorTo(s.ts, RAW_STEP_MS);
        if (!slots.has(slot)) slots.set(slot, s);
      }
      const rows = [...slots].map(([ts, s]) => ({ resolution: RAW, ts, n: 1, data: JSON.stringify(rawData(s)) }));
      const earliest = rows.reduce((min, r) => Math.min(min, r.ts), Infinity);
      aggregatedUntil = await db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += 200) await trx(TABLE).insert(rows.slice(i, i + 200)).onConflict(['resolution', 'ts']).ignore();
        return compact(trx, earliest);
      });
    },

    /** 'auto' is 10 s for ranges up to 24 h, else 5 min. The bucket still open is computed from its raw samples. */
    async query(q: HistoryQuery): Promise<History> {
      const resolution: Resolution = q.resolution === '10s' || q.resolution === '5m' ? q.resolution : q.to - q.from <= DAY ? '10s' : '5m';
      if (resolution === '10s') {
        const rows = (await db(TABLE).where({ resolution: RAW }).andWhere('ts', '>=', q.from).andWhere('ts', '<=', q.to).orderBy('ts').limit(MAX_POINTS).select('ts', 'data')) as Row[];
        const points = rows.map((r) => rawPoint(Number(r.ts), JSON.parse(r.data) as Omit<ResourceSample, 'ts'>));
        // A late sample can miss a slot; more than 3 intervals without one is a gap (as for the thresholds).
        const step = Math.max(RAW_STEP_MS, deps.intervalMs);
        return toColumns(points, resolution, step, 3 * step, q.from, q.to);
      }
      const from = floorTo(q.from, BUCKET_MS);
      const rows = (await db(TABLE).where({ resolution: AGG }).andWhere('ts', '>=', from).andWhere('ts', '<=', q.to).orderBy('ts').limit(MAX_POINTS).select('ts', 'data')) as Row[];
      const points = rows.map((r) => aggregatePoint(Number(r.ts), JSON.parse(r.data) as Aggregate));
      const until = await readAggregatedUntil(db);
      if (q.to >= until) {
        const last = points.at(-1)?.ts ?? -1;
        for (const b of await buckets(db, Math.max(until, from), q.to + 1)) if (b.ts > last) points.push(aggregatePoint(b.ts, b.agg));
      }
      // A bucket without a row had no sample for 5 minutes.
      return toColumns(points, resolution, BUCKET_MS, BUCKET_MS * 1.5, q.from, q.to);
    },

    /** Rows kept, per resolution. */
    async counts(): Promise<{ raw: number; aggregated: number }> {
      const rows = (await db(TABLE).groupBy('resolution').select('resolution').count({ n: '*' })) as Array<{ resolution: number; n: number | string }>;
      const of = (r: number) => Number(rows.find((x) => Number(x.resolution) === r)?.n ?? 0);
      return { raw: of(RAW), aggregated: of(AGG) };
    },
  };
}
