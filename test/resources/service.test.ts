// The resources service on a real SQLite file: samples stored and evaluated, failures skipped, no overlap, alerts across a restart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import type { Db } from '../../src/db/index.ts';
import { createResourcesService } from '../../src/resources/index.ts';
import { nextRunAt } from '../../src/resources/resources.service.ts';
import type { Sampler } from '../../src/resources/sampler.ts';
import type { ResourceSample } from '../../src/resources/sample.ts';
import { createManualClock, systemClock, type Clock } from '../../src/shared/clock.ts';
import { recordingSink, rule, S, sample, T0, tempDb } from './helpers.ts';

const cpuHigh = rule({ id: 'cpu-high', metric: 'cpu', above: 90, for: '5m', clear_below: 85, clear_for: '1m', severity: 'medium' });

function capturingLogger() {
  const lines: Array<{ msg: string; level: number }> = [];
  return { lines, logger: pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string; level: number }) }) };
}

/** A sampler reading cpu from a script at the clock's time; a value that is an Error is thrown instead. */
function scriptedSampler(clock: Clock, script: () => number | Error): Sampler & { calls: number } {
  const s = {
    calls: 0,
    async sample(): Promise<ResourceSample> {
      s.calls += 1;
      const v = script();
      if (v instanceof Error) throw v;
      return sample(clock.now(), { cpu: v });
    },
  };
  return s;
}

describe('resources service', () => {
  let db: Db;
  before(async () => {
    db = await tempDb();
  });
  after(() => db.destroy());
  const fresh = async () => {
    await db('resource_history').delete();
    await db('resource_alerts').delete();
  };

  test('each tick samples, stores and evaluates: latest, history and rule states follow, and the alert is raised once', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const sink = recordingSink();
    const svc = createResourcesService({ db, clock, logger: pino({ level: 'silent' }), intervalMs: 10 * S, rules: [cpuHigh], alerts: sink, sampler: scriptedSampler(clock, () => 95), hostname: 'web-1' });
    assert.equal(svc.latest(), null);
    for (let i = 0; i < 40; i += 1) {
      await svc.tick();
      clock.advance(10 * S);
    }
    assert.equal(svc.latest()!.cpu, 95);
    assert.equal(sink.calls.length, 1);
    const [status] = svc.rules();
    assert.deepEqual([status!.rule.id, status!.state, status!.since, status!.value], ['cpu-high', 'firing', T0 + 300 * S, 95]);
    const h = await svc.history({ from: T0, to: clock.now() });
    assert.equal(h.resolution, '10s');
    assert.equal(h.ts.length, 40);
    assert.deepEqual(await db('resource_alerts').select('dedup_key', 'rule', 'target'), [{ dedup_key: 'resources:cpu-high:host', rule: 'cpu-high', target: 'host' }]);
  });

  test('a failed sample is logged and skipped; the next one is taken as usual', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const { lines, logger } = capturingLogger();
    const script = [20, new Error('df timed out'), 30];
    const svc = createResourcesService({ db, clock, logger, intervalMs: 10 * S, rules: [cpuHigh], alerts: recordingSink(), sampler: scriptedSampler(clock, () => script.shift()!) });
    await svc.tick();
    clock.advance(10 * S);
    await svc.tick();
    assert.equal(svc.latest()!.cpu, 20);
    assert.ok(lines.some((l) => l.msg === 'sampling the host failed; sample skipped'));
    clock.advance(10 * S);
    await svc.tick();
    assert.equal(svc.latest()!.cpu, 30);
    assert.deepEqual(await svc.counts(), { raw: 2, aggregated: 0 });
  });

  test('a slow sample is never overlapped by the next; stop waits for it', async () => {
    await fresh();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const slow: Sampler = {
      async sample() {
        calls += 1;
        await gate;
        return sample(T0, { cpu: 5 });
      },
    };
    const svc = createResourcesService({ db, clock: createManualClock(T0), logger: pino({ level: 'silent' }), intervalMs: 10 * S, rules: [], alerts: recordingSink(), sampler: slow });
    const first = svc.tick();
    const second = svc.tick();
    assert.equal(calls, 1, 'the second tick joins the one in flight');
    let stopped = false;
    const stopping = svc.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'stop waits for the sample being taken');
    release();
    await Promise.all([first, second, stopping]);
    assert.equal(svc.latest()!.cpu, 5, 'the sample in flight was kept');
    assert.equal(calls, 1);
  });

  test('start samples at once and then on the interval; after stop no sample is taken', async () => {
    await fresh();
    const sampler = scriptedSampler(systemClock, () => 1);
    const svc = createResourcesService({ db, clock: systemClock, logger: pino({ level: 'silent' }), intervalMs: 20, rules: [], alerts: recordingSink(), sampler });
    await svc.start();
    assert.equal(sampler.calls, 1, 'the first sample is taken at start');
    assert.equal(svc.running(), true);
    while (sampler.calls < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    await svc.stop();
    assert.equal(svc.running(), false);
    const taken = sampler.calls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(sampler.calls, taken);
  });

  test('an alert firing before a restart resolves after it, once; one whose rule is gone is resolved at start', async () => {
    await fresh();
    const clock = createManualClock(T0);
    const sink = recordingSink();
    let cpu = 95;
    const make = (rules: typeof cpuHigh[]) =>
      createResourcesService({ db, clock, logger: pino({ level: 'silent' }), intervalMs: 10 * S, rules, alerts: sink, sampler: scriptedSampler(clock, () => cpu), hostname: 'web-1' });
    const ticks = async (svc: ReturnType<typeof make>, n: number) => {
      for (let i = 0; i < n; i += 1) {
        await svc.tick();
        clock.advance(10 * S);
      }
    };
    const first = make([cpuHigh]);
    await ticks(first, 31);
    await first.stop();
    assert.deepEqual(sink.calls.map((c) => c.kind), ['raise']);

    const second = make([cpuHigh]);
    await second.start();
    await second.stop();
    assert.equal(second.rules()[0]!.state, 'firing', 'restored as firing');
    cpu = 97;
    await ticks(second, 20);
    assert.deepEqual(sink.calls.map((c) => c.kind), ['raise'], 'not raised a second time');
    cpu = 40;
    await ticks(second, 10);
    assert.deepEqual(sink.calls.map((c) => c.kind), ['raise', 'resolve']);
    assert.deepEqual(await db('resource_alerts').select('dedup_key'), []);

    cpu = 95;
    await ticks(second, 31);
    const third = make([]);
    await third.start();
    await third.stop();
    assert.deepEqual(sink.calls.at(-1), { kind: 'resolve', dedupKey: 'resources:cpu-high:host', note: 'Rule cpu-high was removed or turned off' });
    assert.deepEqual(await db('resource_alerts').select('dedup_key'), []);
  });

  test('the next sample is due half an interval past a multiple of it, so it lands inside its 10-second slot', () => {
    const cases: Array<[number, number, number]> = [
      [0, 10_000, 5_000],
      [4_999, 10_000, 5_000],
      [5_000, 10_000, 15_000],
      [9_999, 10_000, 15_000],
      [12_000, 2_000, 13_000],
      [60_000, 60_000, 90_000],
    ];
    for (const [now, interval, due] of cases) assert.equal(nextRunAt(now, interval), due, `${now} every ${interval}`);
  });
});
