// Per-server history on a real SQLite file: rates from counters, one series per server, bounded over 40 simulated days,
// aggregates, gaps while a server is stopped, and the history of deleted servers dropped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../../src/db/index.ts';
import { BUCKET_KEEP_MS, MAX_ROWS, RAW_KEEP_MS } from '../../src/resources/downsampled.store.ts';
import { createServerHistoryStore, createServerSampler, type ServerSample, type ServerSource } from '../../src/resources/server-history.ts';
import type { ServerReadings } from '../../src/servers/stats.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { D, H, M, S, T0, tempDb } from './helpers.ts';

const MB = 1024 * 1024;

/** A server at ts with the given values; the rest quiet. */
const at = (serverId: string, ts: number, over: Partial<ServerSample> = {}): ServerSample => ({
  serverId,
  name: `Server ${serverId}`,
  ts,
  cpuPct: 5,
  cpuLimitPct: 100,
  memoryBytes: 100 * MB,
  memoryLimitBytes: 512 * MB,
  netRxBps: 10,
  netTxBps: 20,
  diskBytes: 5 * MB,
  diskLimitBytes: 1024 * MB,
  ...over,
});

/** Servers whose counters the test moves: CPU time, host CPU time and traffic grow between two readings. */
function counters(): ServerSource & { set(id: string, r: ServerReadings | null | Error): void; ids: Set<string> } {
  const now = new Map<string, ServerReadings | null | Error>();
  const running = new Set<string>();
  return {
    ids: running,
    set: (id, r) => {
      now.set(id, r);
      running.add(id);
    },
    running: async () => [...running].map((id) => ({ id, name: `Server ${id}` })),
    readings: async (id) => {
      const r = now.get(id);
      if (r instanceof Error) throw r;
      return r ?? null;
    },
  };
}

const readings = (over: Partial<ServerReadings>): ServerReadings => ({
  cpuNs: 0,
  systemCpuNs: 1e12,
  onlineCpus: 2,
  cpuLimit: 1.5,
  memoryBytes: 64 * MB,
  memoryLimitBytes: 256 * MB,
  netRxBytes: 0,
  netTxBytes: 0,
  diskBytes: MB,
  diskLimitBytes: 1024 * MB,
  ...over,
});

describe('per-server history', () => {
  let db: Db;
  before(async () => {
    db = await tempDb();
  });
  after(() => db.destroy());
  const fresh = async () => db('server_history').delete();

  test('the sampler turns counters into CPU % and traffic rates per server; a new container starts from no reading', async () => {
    const clock = createManualClock(T0);
    const source = counters();
    const errors: string[] = [];
    const sampler = createServerSampler({ clock, source, onError: (_err, id) => errors.push(id) });
    source.set('a', readings({ cpuNs: 0, systemCpuNs: 1e12, netRxBytes: 1000, netTxBytes: 0 }));
    source.set('b', readings({ cpuNs: 5e9, systemCpuNs: 1e12 }));
    const first = await sampler.sample();
    assert.deepEqual(first.map((s) => [s.serverId, s.cpuPct, s.netRxBps]), [['a', null, null], ['b', null, null]], 'no rate without an earlier reading');
    assert.equal(first[0]!.memoryBytes, 64 * MB);
    assert.deepEqual([first[0]!.name, first[0]!.cpuLimitPct], ['Server a', 150], 'the CPU limit in percent of one core');

    clock.advance(10 * S);
    // a: 5 s of CPU time over 20 s of host CPU time on 2 CPUs = 50 % of a core; 10 kB received in 10 s.
    source.set('a', readings({ cpuNs: 5e9, systemCpuNs: 1e12 + 20e9, netRxBytes: 11_000, netTxBytes: 500 }));
    // b was recreated: its CPU counter went back.
    source.set('b', readings({ cpuNs: 1e9, systemCpuNs: 1e12 + 20e9 }));
    const second = await sampler.sample();
    assert.deepEqual(second.map((s) => [s.serverId, s.cpuPct, s.netRxBps, s.netTxBps]), [['a', 50, 1000, 50], ['b', null, 0, 0]]);

    // b stops (no longer running), a cannot be read this round: neither is in the sample, and no error stops the round.
    source.ids.delete('b');
    source.set('a', new Error('engine away'));
    assert.deepEqual(await sampler.sample(), []);
    assert.deepEqual(errors, ['a']);
    // b runs again: it starts over without rates (its previous reading was forgotten when it stopped).
    clock.advance(10 * S);
    source.set('b', readings({ cpuNs: 2e9, systemCpuNs: 1e12 + 40e9 }));
    source.set('a', readings({ cpuNs: 6e9, systemCpuNs: 1e12 + 40e9, netRxBytes: 11_000, netTxBytes: 500 }));
    const fourth = await sampler.sample();
    // a: 1 s of CPU time over the 20 s of host CPU time since its last good reading, on 2 CPUs.
    assert.deepEqual(fourth.map((s) => [s.serverId, s.cpuPct]), [['a', 10], ['b', null]]);
  });

  test('40 days of samples of three servers keep at most a day of raw rows and 30 days of 5-minute rows each', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const store = createServerHistoryStore({ db, clock, intervalMs: 10 * S });
    let most = 0;
    for (let hour = 0; hour < 40 * 24; hour += 1) {
      const start = T0 + hour * H;
      const batch = Array.from({ length: 360 }, (_, i) => ['s1', 's2', 's3'].map((id) => at(id, start + i * 10 * S, { cpuPct: (hour + i) % 100 }))).flat();
      clock.set(start + H);
      await store.add(batch);
      if (hour % 24 === 0) most = Math.max(most, ...(await Promise.all(['s1', 's2', 's3'].map(async (id) => Object.values(await store.counts(id)).reduce((a, b) => a + b, 0)))));
    }
    for (const id of ['s1', 's2', 's3']) {
      const { raw, aggregated } = await store.counts(id);
      assert.ok(raw <= RAW_KEEP_MS / (10 * S) + 1 && raw >= 8600, `${id} raw rows: ${raw}`);
      assert.ok(aggregated <= BUCKET_KEEP_MS / (5 * M) + 1 && aggregated >= 8600, `${id} 5-minute rows: ${aggregated}`);
    }
    assert.ok(most <= MAX_ROWS, `at most ${MAX_ROWS} rows per server at any time, saw ${most}`);
    const total = await store.counts();
    assert.ok(total.raw + total.aggregated <= 3 * MAX_ROWS, 'the table is bounded by servers times the bound of one');
    const month = await store.query('s2', { from: clock.now() - 30 * D, to: clock.now(), resolution: 'auto' });
    assert.equal(month.resolution, '5m');
    assert.ok(month.ts.length <= 8641 && month.ts.length >= 8600, `${month.ts.length} points`);
  });

  test('each server has its own series: averages and maxima per 5 minutes, a gap while stopped, nothing of the others', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const store = createServerHistoryStore({ db, clock, intervalMs: 10 * S });
    const a = Array.from({ length: 30 }, (_, i) => at('a', T0 + i * 10 * S, { cpuPct: i, netRxBps: i === 0 ? null : 100 }));
    const b = Array.from({ length: 30 }, (_, i) => at('b', T0 + i * 10 * S, { cpuPct: 90, memoryBytes: 400 * MB }));
    clock.set(T0 + 299 * S);
    await store.add([...a, ...b]);
    // a is stopped for 10 minutes, then runs again.
    clock.set(T0 + 16 * M);
    await store.add([at('a', T0 + 15 * M, { cpuPct: 80 }), at('b', T0 + 15 * M)]);

    const raw = await store.query('a', { from: T0, to: T0 + 16 * M });
    assert.equal(raw.resolution, '10s');
    assert.equal(raw.ts.length, 32, '30 samples, a null across the gap, the sample after it');
    assert.equal(raw.series.cpuPct[29], 29);
    assert.equal(raw.series.cpuPct[30], null, 'the stopped time is a gap');
    assert.equal(raw.series.cpuPct[31], 80);
    assert.equal(raw.max, null);

    const agg = await store.query('a', { from: T0, to: T0 + 16 * M, resolution: '5m' });
    assert.deepEqual(agg.ts, [T0, T0 + 5 * M, T0 + 15 * M]);
    assert.deepEqual(agg.series.cpuPct, [14.5, null, 80], 'the first bucket, a gap, the bucket still open (from its raw rows)');
    assert.deepEqual(agg.max!.cpuPct, [29, null, 80]);
    assert.deepEqual(agg.series.netRxBps, [100, null, 10], 'a series without a value in a sample is left out of its average');
    const other = await store.query('b', { from: T0, to: T0 + 16 * M, resolution: '5m' });
    assert.deepEqual(other.series.memoryBytes, [400 * MB, null, 100 * MB]);
    assert.deepEqual((await store.query('nobody', { from: T0, to: T0 + 16 * M, resolution: '5m' })).ts, []);
  });

  test('the history of a server that no longer exists is dropped', async () => {
    await fresh();
    const clock = createManualClock(T0 + H);
    const store = createServerHistoryStore({ db, clock, intervalMs: 10 * S });
    const live = (await db('servers').select('id').first()) as { id: string } | undefined;
    // The servers table is empty in this database: every series is of a deleted server.
    assert.equal(live, undefined);
    await store.add(Array.from({ length: 60 }, (_, i) => at('gone', T0 + i * 10 * S)));
    assert.deepEqual(await store.counts('gone'), { raw: 60, aggregated: 2 });
    assert.equal(await store.forgetDeleted(), 62);
    assert.deepEqual(await store.counts(), { raw: 0, aggregated: 0 });
  });
});
