// The rules engine on the events' own clock: each rule kind table-driven, IPv6 /64 grouping, and bounded state under a flood of addresses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEngine, type Detection } from '../../src/monitor/engine/engine.ts';
import { makeEvent, type MonitorEvent } from '../../src/monitor/event.ts';
import { ruleSchema, type RuleSpec } from '../../src/monitor/rules/schema.ts';

const S = 1000;
const M = 60 * S;
const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);

const rule = (spec: Record<string, unknown>): RuleSpec => ruleSchema.parse(spec);

/** Feeds events (at T0 + offset) and returns the detections, in order. */
function run(specs: RuleSpec[], events: Array<[number, MonitorEvent | Omit<MonitorEvent, 'ts'>]>): Detection[] {
  const out: Detection[] = [];
  const engine = createEngine(specs, (d) => out.push(d));
  for (const [offset, ev] of events) engine.feed({ ...ev, ts: T0 + offset } as MonitorEvent);
  return out;
}

const fail = (ip: string, user = 'root') => makeEvent(0, 'sshd', 'ssh.auth.failure', ip, user);
const ok = (ip: string, user = 'root') => makeEvent(0, 'sshd', 'ssh.auth.success', ip, user);

describe('threshold', () => {
  const brute = rule({ id: 'brute', kind: 'threshold', match: { event: 'ssh.auth.failure' }, threshold: 3, window: '1m' });
  const cases: Array<[string, Array<[number, MonitorEvent]>, number]> = [
    ['3 failures within the window fire once', [[0, fail('1.2.3.4')], [10 * S, fail('1.2.3.4')], [20 * S, fail('1.2.3.4')]], 1],
    ['3 failures spread over more than the window do not', [[0, fail('1.2.3.4')], [40 * S, fail('1.2.3.4')], [80 * S, fail('1.2.3.4')]], 0],
    ['3 failures from 3 addresses do not', [[0, fail('1.2.3.4')], [1 * S, fail('1.2.3.5')], [2 * S, fail('1.2.3.6')]], 0],
    ['6 failures fire twice (counting restarts after a detection)', Array.from({ length: 6 }, (_, i): [number, MonitorEvent] => [i * S, fail('1.2.3.4')]), 2],
    ['successes do not count', [[0, ok('1.2.3.4')], [1 * S, ok('1.2.3.4')], [2 * S, ok('1.2.3.4')]], 0],
    ['one IPv6 /64 is one key', [[0, fail('2001:db8:1:2::1')], [1 * S, fail('2001:db8:1:2::abcd')], [2 * S, fail('2001:db8:1:2:ffff::9')]], 1],
    ['different /64s are different keys', [[0, fail('2001:db8:1:2::1')], [1 * S, fail('2001:db8:1:3::1')], [2 * S, fail('2001:db8:1:4::1')]], 0],
  ];
  for (const [name, events, expected] of cases) {
    test(name, () => assert.equal(run([brute], events).length, expected));
  }

  test('the detection names the rule, key, address, count and keeps the events as evidence', () => {
    const [d] = run([brute], [[0, fail('2001:db8:1:2::1')], [1 * S, fail('2001:db8:1:2::2')], [2 * S, fail('2001:db8:1:2::3')]]);
    assert.equal(d!.rule, 'brute');
    assert.equal(d!.key, '2001:db8:1:2::/64');
    assert.equal(d!.ip, '2001:db8:1:2::3');
    assert.equal(d!.count, 3);
    assert.equal(d!.ts, T0 + 2 * S);
    assert.deepEqual(d!.evidence.map((e) => e.ip), ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2::3']);
  });

  test('distinct: many accounts from one address (password spraying), not one account many times', () => {
    const spray = rule({ id: 'spray', kind: 'threshold', match: { event: 'ssh.auth.failure' }, distinct: 'user', threshold: 3, window: '5m' });
    assert.equal(run([spray], [[0, fail('9.9.9.9', 'a')], [S, fail('9.9.9.9', 'a')], [2 * S, fail('9.9.9.9', 'a')], [3 * S, fail('9.9.9.9', 'a')]]).length, 0);
    assert.equal(run([spray], [[0, fail('9.9.9.9', 'a')], [S, fail('9.9.9.9', 'b')], [2 * S, fail('9.9.9.9', 'c')]]).length, 1);
    assert.equal(run([spray], [[0, fail('9.9.9.9', 'a')], [S, fail('9.9.9.9', 'b')], [10 * M, fail('9.9.9.9', 'c')]]).length, 0, 'a and b left the window');
  });

  test('per-account keys: credential stuffing across addresses', () => {
    const stuffing = rule({ id: 'stuff', kind: 'threshold', match: { event: 'ssh.auth.failure' }, key: 'user', threshold: 3, window: '5m' });
    const [d] = run([stuffing], [[0, fail('1.1.1.1', 'bob')], [S, fail('2.2.2.2', 'bob')], [2 * S, fail('3.3.3.3', 'bob')]]);
    assert.equal(d!.key, 'bob');
  });
});

describe('leaky bucket', () => {
  const bucket = rule({ id: 'bucket', kind: 'leaky', match: { event: 'ssh.auth.failure' }, capacity: 3, leak: '10s', cooldown: '1m' });
  const burst = (n: number, every: number, from = 0) => Array.from({ length: n }, (_, i): [number, MonitorEvent] => [from + i * every, fail('5.5.5.5')]);
  const cases: Array<[string, Array<[number, MonitorEvent]>, number]> = [
    ['4 events at once overflow a bucket of 3', burst(4, 0), 1],
    ['one event every 10 s leaks as fast as it fills', burst(20, 10 * S), 0],
    ['a sustained overflow fires once per cooldown', burst(40, S), 1],
    ['after the cooldown it can fire again', [...burst(10, S), ...burst(10, S, 2 * M)], 2],
  ];
  for (const [name, events, expected] of cases) {
    test(name, () => assert.equal(run([bucket], events).length, expected));
  }
});

describe('new value', () => {
  const newNet = rule({ id: 'newnet', kind: 'new_value', match: { event: 'ssh.auth.success' }, key: 'user', value: 'ip', ipPrefix: { v4: 24 }, learning: '1h', memory: '30d' });
  test('the first network is the baseline; during learning new ones are learned silently; after it they are reported', () => {
    const ds = run([newNet], [
      [0, ok('10.0.0.5', 'alice')],
      [10 * M, ok('10.1.0.5', 'alice')],
      [2 * 60 * M, ok('10.0.0.77', 'alice')],
      [3 * 60 * M, ok('10.1.0.9', 'alice')],
      [4 * 60 * M, ok('203.0.113.5', 'alice')],
      [5 * 60 * M, ok('203.0.113.99', 'alice')],
    ]);
    assert.deepEqual(ds.map((d) => [d.key, d.details.value, d.count]), [['alice', '203.0.113.0/24', 2]]);
  });
  test('a network unused for longer than the memory is new again', () => {
    const short = rule({ id: 'short', kind: 'new_value', match: { event: 'ssh.auth.success' }, key: 'user', value: 'ip', memory: '1d' });
    const ds = run([short], [[0, ok('10.0.0.5', 'bob')], [M, ok('10.0.0.6', 'bob')], [3 * 24 * 60 * M, ok('10.0.0.5', 'bob')]]);
    assert.equal(ds.length, 2);
  });
});

describe('rate anomaly', () => {
  const api = rule({ id: 'rate', kind: 'rate_anomaly', match: { event: 'api.request' }, key: 'clientId', interval: '1m', warmup: 5, minCount: 10, ratio: 5, alpha: 0.3 });
  const req = (client: string) => ({ ...makeEvent(0, 'panel', 'api.request', '10.0.0.1', null), fields: { clientId: client } });
  const minutes = (perMinute: number[], from = 0) =>
    perMinute.flatMap((n, m) => Array.from({ length: n }, (_, i): [number, MonitorEvent] => [from + m * M + Math.floor((i * M) / (n + 1)), req('c1') as MonitorEvent]));
  test('a steady rate never fires, a spike far above the learned baseline does, once per interval', () => {
    assert.equal(run([api], minutes([10, 12, 9, 11, 10, 12, 10, 11, 9, 10])).length, 0);
    const ds = run([api], minutes([10, 12, 9, 11, 10, 12, 200, 10]));
    assert.equal(ds.length, 1);
    assert.equal(ds[0]!.key, 'c1');
    assert.ok(Number(ds[0]!.details.baseline) < 15);
  });
  test('nothing fires during the warm-up, however high', () => {
    assert.equal(run([api], minutes([10, 300, 10])).length, 0);
  });
  test('below the minimum count nothing fires, even at many times the baseline', () => {
    assert.equal(run([api], minutes([1, 1, 1, 1, 1, 1, 8])).length, 0);
  });
});

describe('sequence', () => {
  const brute = rule({ id: 'brute', kind: 'threshold', match: { event: 'ssh.auth.failure' }, threshold: 3, window: '1m' });
  const after = rule({ id: 'after', kind: 'sequence', after: { rule: 'brute' }, match: { event: 'ssh.auth.success' }, within: '10m', severity: 'critical' });
  const burst: Array<[number, MonitorEvent]> = [[0, fail('7.7.7.7')], [S, fail('7.7.7.7')], [2 * S, fail('7.7.7.7')]];
  test('a success from the same address after a brute force is critical', () => {
    const ds = run([brute, after], [...burst, [M, ok('7.7.7.7', 'alice')]]);
    assert.deepEqual(ds.map((d) => [d.rule, d.severity]), [['brute', 'medium'], ['after', 'critical']]);
    assert.equal(ds[1]!.evidence.at(-1)!.user, 'alice');
  });
  test('not from another address, not after the time has passed, and only once', () => {
    assert.equal(run([brute, after], [...burst, [M, ok('8.8.8.8')]]).filter((d) => d.rule === 'after').length, 0);
    assert.equal(run([brute, after], [...burst, [20 * M, ok('7.7.7.7')]]).filter((d) => d.rule === 'after').length, 0);
    assert.equal(run([brute, after], [...burst, [M, ok('7.7.7.7')], [2 * M, ok('7.7.7.7')]]).filter((d) => d.rule === 'after').length, 1);
  });
  test('after a count of matching events instead of another rule', () => {
    const seq = rule({ id: 'seq', kind: 'sequence', after: { match: { event: 'ssh.auth.failure' }, count: 2 }, match: { event: 'ssh.auth.success' }, within: '5m' });
    assert.equal(run([seq], [[0, fail('6.6.6.6')], [S, fail('6.6.6.6')], [2 * S, ok('6.6.6.6')]]).length, 1);
    assert.equal(run([seq], [[0, fail('6.6.6.6')], [2 * S, ok('6.6.6.6')]]).length, 0);
  });
});

describe('bounded memory', () => {
  test('100,000 distinct addresses keep each rule at its key cap, and the rule still works afterwards', () => {
    const capped = rule({ id: 'capped', kind: 'threshold', match: { event: 'ssh.auth.failure' }, threshold: 3, window: '10m', maxKeys: 1000 });
    const out: Detection[] = [];
    const engine = createEngine([capped], (d) => out.push(d));
    for (let i = 0; i < 100_000; i += 1) engine.feed({ ...fail(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`), ts: T0 + i });
    assert.equal(engine.stats()[0]!.keys, 1000);
    assert.equal(out.length, 0);
    for (let i = 0; i < 3; i += 1) engine.feed({ ...fail('203.0.113.200'), ts: T0 + 100_000 + i });
    assert.equal(out.length, 1);
  });

  test('idle keys expire with the event clock', () => {
    const brute = rule({ id: 'idle', kind: 'threshold', match: { event: 'ssh.auth.failure' }, threshold: 100, window: '1m' });
    const engine = createEngine([brute], () => undefined);
    for (let i = 0; i < 5000; i += 1) engine.feed({ ...fail(`10.0.${(i >> 8) & 255}.${i & 255}`), ts: T0 + i });
    // An hour later, the next few thousand events sweep the idle keys out.
    for (let i = 0; i < 5000; i += 1) engine.feed({ ...fail('192.0.2.1'), ts: T0 + 3_600_000 + i * 10 });
    assert.ok(engine.stats()[0]!.keys < 10, `keys: ${engine.stats()[0]!.keys}`);
  });
});
