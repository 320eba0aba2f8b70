// The sample history on a real SQLite file: bounded over 40 simulated days, aggregates equal to avg/max of their samples, chart columns.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../src/db/index.ts';
import { BUCKET_KEEP_MS, createHistoryStore, MAX_ROWS, RAW_KEEP_MS } from '../../src/resources/history.store.ts';
import type { ResourceSample } from '../../src/resources/sample.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { D, disk, H, M, S, sample, T0, tempDb } from './helpers.ts';

describe('resource history', () => {
  let db: Db;
  before(async () => {
    db = await tempDb();
  });
  after(() => db.destroy());
  const fresh = async () => db('resource_history').delete();

  test('40 days of 10-second samples keep at most a day of raw rows and 30 days of 5-minute rows', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const store = createHistoryStore({ db, clock, intervalMs: 10 * S });
    let most = 0;
    for (let hour = 0; hour < 40 * 24; hour += 1) {
      const start = T0 + hour * H;
      const batch = Array.from({ length: 360 }, (_, i) => sample(start + i * 10 * S, { cpu: (hour + i) % 100 }));
      clock.set(start + H);
      await store.add(batch);
      const c = await store.counts();
      most = Math.max(most, c.raw + c.aggregated);
    }
    const { raw, aggregated } = await store.counts();
    assert.ok(raw <= RAW_KEEP_MS / (10 * S) + 1, `raw rows: ${raw}`);
    assert.ok(aggregated <= BUCKET_KEEP_MS / (5 * M) + 1, `5-minute rows: ${aggregated}`);
    assert.ok(most <= MAX_ROWS, `at most ${MAX_ROWS} rows at any time, saw ${most}`);
    assert.ok(raw >= 8600 && aggregated >= 8600, 'both windows are full');
    // The oldest rows are those just inside each retention window.
    const oldest = async (resolution: number) => Number(((await db('resource_history').where({ resolution }).min({ m: 'ts' }).first()) as { m: number }).m);
    assert.ok((await oldest(10)) >= clock.now() - RAW_KEEP_MS);
    assert.ok((await oldest(300)) >= clock.now() - BUCKET_KEEP_MS);
    // A 30-day query stays within 8,640 points (and one for the bucket still open).
    const month = await store.query({ from: clock.now() - 30 * D, to: clock.now(), resolution: 'auto' });
    assert.equal(month.resolution, '5m');
    assert.ok(month.ts.length <= 8641, `${month.ts.length} points`);
  });

  test('a 5-minute aggregate is the average and the maximum of its samples; a series without values stays null', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const store = createHistoryStore({ db, clock, intervalMs: 10 * S });
    const bucket: ResourceSample[] = Array.from({ length: 30 }, (_, i) =>
      sample(T0 + i * 10 * S, { cpu: i, netRxBps: i % 2 ? null : 100, swapUsedPct: null, disks: [disk('/', 50 + i), ...(i < 10 ? [disk('/data', 10)] : [])] }),
    );
    clock.set(T0 + 299 * S);
    await store.add(bucket);
    clock.set(T0 + 5 * M + 10 * S);
    await store.add([sample(T0 + 5 * M, { cpu: 80 })]);
    assert.deepEqual(await store.counts(), { raw: 31, aggregated: 1 });

    const h = await store.query({ from: T0, to: T0 + 10 * M, resolution: '5m' });
    assert.equal(h.resolution, '5m');
    assert.deepEqual(h.ts, [T0, T0 + 5 * M], 'the closed bucket, then the open one from its raw samples');
    assert.deepEqual(h.series.cpu, [14.5, 80]);
    assert.deepEqual(h.max!.cpu, [29, 80]);
    assert.deepEqual(h.series.netRxBps, [100, 300]);
    assert.deepEqual(h.series.swapUsedPct, [null, 0]);
    assert.deepEqual(h.series.memUsedPct, [20, 20]);
    const root = h.disks.find((d) => d.mount === '/')!;
    assert.deepEqual(root.usedPct, [64.5, 40]);
    assert.deepEqual(root.usedPctMax, [79, 40]);
    const data = h.disks.find((d) => d.mount === '/data')!;
    assert.deepEqual(data.usedPct, [10, null]);
  });

  test("'auto' is 10 s up to 24 hours and 5 minutes beyond; a gap in sampling is a null point", async () => {
    await fresh();
    const clock = createManualClock(T0);
    const store = createHistoryStore({ db, clock, intervalMs: 10 * S });
    const list = [...Array.from({ length: 6 }, (_, i) => sample(T0 + i * 10 * S, { cpu: i })), sample(T0 + 10 * M, { cpu: 50 })];
    clock.set(T0 + 11 * M);
    await store.add(list);

    const day = await store.query({ from: T0 - 23 * H, to: T0 + H });
    assert.equal(day.resolution, '10s');
    assert.equal(day.stepMs, 10 * S);
    assert.deepEqual(day.ts, [T0, T0 + 10 * S, T0 + 20 * S, T0 + 30 * S, T0 + 40 * S, T0 + 50 * S, T0 + 60 * S, T0 + 10 * M]);
    assert.deepEqual(day.series.cpu, [0, 1, 2, 3, 4, 5, null, 50]);
    assert.equal(day.max, null);
    assert.deepEqual(day.disks.map((d) => [d.mount, d.sizeBytes]), [['/', 100 * 1024 ** 3]]);

    const week = await store.query({ from: T0 - 7 * D, to: T0 + H });
    assert.equal(week.resolution, '5m');
    assert.deepEqual(week.ts, [T0, T0 + 5 * M, T0 + 10 * M]);
    assert.deepEqual(week.series.cpu, [2.5, null, 50], 'an empty bucket between two is a gap');
  });

  test('samples older than the last aggregate (the clock went back) get their own buckets; an aggregate made already stays', async () => {
    await fresh();
    const clock = createManualClock(T0 + H);
    const store = createHistoryStore({ db, clock, intervalMs: 10 * S });
    await store.add(Array.from({ length: 20 }, (_, i) => sample(T0 + 50 * M + i * 10 * S, { cpu: 70 })));
    assert.deepEqual(await store.counts(), { raw: 20, aggregated: 1 });
    await store.add(Array.from({ length: 60 }, (_, i) => sample(T0 + i * 10 * S, { cpu: 30 })));
    await store.add([sample(T0 + 54 * M, { cpu: 0 })]);
    // The clock now stays back: the buckets it closes from here on are aggregated as they close.
    clock.set(T0 + 20 * M);
    await store.add(Array.from({ length: 30 }, (_, i) => sample(T0 + 20 * M + i * 10 * S, { cpu: 50 })));
    clock.set(T0 + 25 * M + 10 * S);
    await store.add([sample(T0 + 25 * M, { cpu: 50 })]);
    const h = await store.query({ from: T0, to: T0 + 30 * M, resolution: '5m' });
    assert.deepEqual(h.ts, [T0, T0 + 5 * M, T0 + 10 * M, T0 + 20 * M, T0 + 25 * M]);
    assert.deepEqual(h.series.cpu, [30, 30, null, 50, 50], 'the bucket closed after the clock went back, then the open one');
    const later = await store.query({ from: T0 + 45 * M, to: T0 + H, resolution: '5m' });
    assert.deepEqual(later.series.cpu, [70], 'the aggregate made before the clock went back stays as it was');
  });

  test('sampling more often than every 10 s still stores one row per 10-second slot', async () => {
    await fresh();
    const clock = createManualClock(T0 + H);
    const store = createHistoryStore({ db, clock, intervalMs: 2 * S });
    await store.add(Array.from({ length: 1800 }, (_, i) => sample(T0 + i * 2 * S)));
    assert.deepEqual(await store.counts(), { raw: 360, aggregated: 12 });
  });
});
