// Downsampled time series in one table, bounded: raw rows (one per 10-second slot) for 24 h, 5-minute aggregates for
// 30 days. A table holds one series (the host) or one per key (each server).
import type { Knex } from 'knex';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RAW_STEP_MS = 10 * SECOND;
export const BUCKET_MS = 300 * SECOND;
export const RAW_KEEP_MS = DAY;
export const BUCKET_KEEP_MS = 30 * DAY;
/** The most rows one series holds: every raw slot of a day and every bucket of 30 days, each window's edge included. */
export const MAX_ROWS = RAW_KEEP_MS / RAW_STEP_MS + 1 + BUCKET_KEEP_MS / BUCKET_MS + 1;

/** The resolution column: seconds per row. */
const RAW = RAW_STEP_MS / SECOND;
const AGG = BUCKET_MS / SECOND;
/** A query never reads more rows than this (a full day of raw slots, or 30 days of buckets, is 8,640). */
const MAX_POINTS = 20_000;
/** Rows per insert statement (SQLite allows 999 bound values in older builds; 5 columns each). */
const CHUNK = 150;

export type Point<T> = { ts: number; data: T };
export type Entry<T> = { key: string; ts: number; data: T };

type Row = { key?: string; ts: number | string; data: string };

export const floorTo = (ts: number, step: number) => Math.floor(ts / step) * step;

export type DownsampledStore<Raw, Agg extends { n: number }> = ReturnType<typeof createDownsampledStore<Raw, Agg>>;

export function createDownsampledStore<Raw, Agg extends { n: number }>(deps: {
  db: Db;
  clock: Clock;
  table: string;
  /** The column that tells the series apart; none: the table holds one series (its key is ''). */
  keyColumn?: string;
  /** One row per bucket: what its samples come to (averages and maxima). */
  aggregate: (samples: Raw[]) => Agg;
}) {
  const { db, clock, table, keyColumn } = deps;
  const keyOf = (row: Row) => (keyColumn ? String(row.key) : '');
  const scoped = <Q extends Knex.QueryBuilder>(q: Q, key: string): Q => (keyColumn ? (q.where(keyColumn, key) as Q) : q);
  const columns = keyColumn ? [{ key: keyColumn }, 'ts', 'data'] : ['ts', 'data'];
  const conflict = keyColumn ? [keyColumn, 'resolution', 'ts'] : ['resolution', 'ts'];
  const toRow = (key: string, resolution: number, ts: number, n: number, data: unknown) => ({ ...(keyColumn ? { [keyColumn]: key } : {}), resolution, ts, n, data: JSON.stringify(data) });

  /** Start of the first bucket not yet aggregated, over every series (known after the first read of the table). */
  let aggregatedUntil: number | null = null;

  async function readAggregatedUntil(q: Knex | Knex.Transaction): Promise<number> {
    if (aggregatedUntil !== null) return aggregatedUntil;
    const row = (await q(table).where({ resolution: AGG }).max({ m: 'ts' }).first()) as { m: number | string | null } | undefined;
    return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + BUCKET_MS;
  }

  /** Raw rows in [since, before) grouped by series and bucket, aggregated; one series only when key is given. */
  async function buckets(q: Knex | Knex.Transaction, since: number, before: number, key?: string): Promise<Array<{ key: string; ts: number; agg: Agg }>> {
    let query = q(table).where({ resolution: RAW }).andWhere('ts', '>=', since).andWhere('ts', '<', before);
    if (key !== undefined) query = scoped(query, key);
    const rows = (await query.orderBy('ts').select(columns)) as Row[];
    const groups = new Map<string, { key: string; ts: number; samples: Raw[] }>();
    for (const r of rows) {
      const ts = floorTo(Number(r.ts), BUCKET_MS);
      const k = keyOf(r);
      const id = `${k}\n${ts}`;
      const sample = JSON.parse(r.data) as Raw;
      const group = groups.get(id);
      if (group) group.samples.push(sample);
      else groups.set(id, { key: k, ts, samples: [sample] });
    }
    return [...groups.values()].map((g) => ({ key: g.key, ts: g.ts, agg: deps.aggregate(g.samples) }));
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
      const rows = (await buckets(trx, since, open)).map((b) => toRow(b.key, AGG, b.ts, b.agg.n, b.agg));
      for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK)).onConflict(conflict).ignore();
    }
    await trx(table).where({ resolution: RAW }).andWhere('ts', '<', now - RAW_KEEP_MS).delete();
    await trx(table).where({ resolution: AGG }).andWhere('ts', '<', now - BUCKET_KEEP_MS).delete();
    return open;
  }

  return {
    /**
     * Stores samples (one transaction however many): each in its 10-second slot of its series (the first sample of a
     * slot wins, so a shorter sampling interval keeps the same bound), then aggregates closed buckets and deletes old rows.
     */
    async add(entries: ReadonlyArray<Entry<Raw>>): Promise<void> {
      if (entries.length === 0) return;
      const slots = new Map<string, ReturnType<typeof toRow>>();
      let earliest = Infinity;
      for (const e of entries) {
        const slot = floorTo(e.ts, RAW_STEP_MS);
        const id = `${e.key}\n${slot}`;
        if (slots.has(id)) continue;
        slots.set(id, toRow(e.key, RAW, slot, 1, e.data));
        earliest = Math.min(earliest, slot);
      }
      const rows = [...slots.values()];
      aggregatedUntil = await db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK)).onConflict(conflict).ignore();
        return compact(trx, earliest);
      });
    },

    /** A series' raw samples in [from, to], oldest first. */
    async raw(key: string, from: number, to: number): Promise<Array<Point<Raw>>> {
      const rows = (await scoped(db(table).where({ resolution: RAW }), key).andWhere('ts', '>=', from).andWhere('ts', '<=', to).orderBy('ts').limit(MAX_POINTS).select('ts', 'data')) as Row[];
      return rows.map((r) => ({ ts: Number(r.ts), data: JSON.parse(r.data) as Raw }));
    },

    /** A series' 5-minute aggregates of the buckets starting in [from, to]; those not aggregated yet are computed from their raw samples. */
    async aggregated(key: string, from: number, to: number): Promise<Array<Point<Agg>>> {
      const start = floorTo(from, BUCKET_MS);
      const rows = (await scoped(db(table).where({ resolution: AGG }), key).andWhere('ts', '>=', start).andWhere('ts', '<=', to).orderBy('ts').limit(MAX_POINTS).select('ts', 'data')) as Row[];
      const points = rows.map((r) => ({ ts: Number(r.ts), data: JSON.parse(r.data) as Agg }));
      const until = await readAggregatedUntil(db);
      if (to >= until) {
        const last = points.at(-1)?.ts ?? -1;
        for (const b of await buckets(db, Math.max(until, start), to + 1, key)) if (b.ts > last) points.push({ ts: b.ts, data: b.agg });
      }
      return points;
    },

    /** Rows kept, per resolution: of one series, or of the whole table. */
    async counts(key?: string): Promise<{ raw: number; aggregated: number }> {
      let q = db(table);
      if (key !== undefined) q = scoped(q, key);
      const rows = (await q.groupBy('resolution').select('resolution').count({ n: '*' })) as Array<{ resolution: number; n: number | string }>;
      const of = (r: number) => Number(rows.find((x) => Number(x.resolution) === r)?.n ?? 0);
      return { raw: of(RAW), aggregated: of(AGG) };
    },

    /** Deletes the series whose key is not among those the subquery selects (the history of deleted servers). */
    async keepOnly(keys: Knex.QueryBuilder): Promise<number> {
      if (!keyColumn) return 0;
      return db(table).whereNotIn(keyColumn, keys).delete();
    },
  };
}
