// Threshold rules on the samples' own clock: for, hysteresis, per mount, sampling gaps, disabled and overridden rules, retries, restarts.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SHIPPED_RESOURCE_RULES_DIR, loadResourceRules, type ResourceRule } from '../../src/resources/index.ts';
import type { ResourceSample } from '../../src/resources/sample.ts';
import { readingsOf } from '../../src/resources/metrics.ts';
import type { ServerSample } from '../../src/resources/server-history.ts';
import { createThresholds } from '../../src/resources/thresholds.ts';
import { disk, M, recordingSink, rule, S, sample, T0, type SinkCall } from './helpers.ts';

const EVERY = 10 * S;

const cpuHigh = rule({ id: 'cpu-high', metric: 'cpu', above: 90, for: '5m', clear_below: 85, clear_for: '1m', severity: 'medium' });
const diskHigh = rule({ id: 'disk-high', metric: 'disk', above: 90, for: '1m', clear_below: 85, clear_for: '1m', severity: 'high' });

type Part = [count: number, over: Partial<Omit<ResourceSample, 'ts'>>] | ['gap', number];

/** Samples every 10 s from T0: [n, values] adds n samples with those values; ['gap', ms] skips time. */
function samples(parts: Part[]): ResourceSample[] {
  const out: ResourceSample[] = [];
  let ts = T0;
  for (const part of parts) {
    if (part[0] === 'gap') {
      ts += part[1] - EVERY;
      continue;
    }
    const [count, over] = part;
    for (let i = 0; i < count; i += 1) {
      out.push(sample(ts, over));
      ts += EVERY;
    }
  }
  return out;
}

const cpu = (count: number, value: number): Part => [count, { cpu: value }];

async function run(rules: ResourceRule[], list: ResourceSample[], sink = recordingSink()): Promise<SinkCall[]> {
  const t = createThresholds({ rules, sink, intervalMs: EVERY, hostname: 'web-1', onError: () => {} });
  for (const s of list) await t.observe(s);
  return sink.calls;
}

const summary = (calls: SinkCall[]) => calls.map((c) => (c.kind === 'raise' ? `raise ${c.input.dedupKey}` : `resolve ${c.dedupKey}`));

const RAISE = 'raise resources:cpu-high:host';
const RESOLVE = 'resolve resources:cpu-high:host';

describe('threshold rules', () => {
  const cases: Array<[string, Part[], string[]]> = [
    ['below the level: nothing', [cpu(60, 50)], []],
    ['exactly at the level is not above it', [cpu(60, 90)], []],
    ['above for less than `for` (290 s of 300): nothing', [cpu(30, 95), cpu(10, 50)], []],
    ['single spikes do not fire', [cpu(5, 50), cpu(1, 99), cpu(5, 50), cpu(1, 99), cpu(40, 50)], []],
    ['above for `for`: one raise', [cpu(31, 95)], [RAISE]],
    ['staying above: no second raise', [cpu(200, 97)], [RAISE]],
    ['between clear_below and above: still firing, no resolve', [cpu(31, 95), cpu(60, 87)], [RAISE]],
    ['exactly at clear_below is not below it', [cpu(31, 95), cpu(60, 85)], [RAISE]],
    ['below clear_below for less than clear_for (50 s of 60): no resolve', [cpu(31, 95), cpu(6, 40), cpu(10, 88)], [RAISE]],
    ['below clear_below for clear_for: one resolve', [cpu(31, 95), cpu(7, 40), cpu(50, 40)], [RAISE, RESOLVE]],
    ['a value between the levels restarts the count towards clearing', [cpu(31, 95), cpu(5, 40), cpu(1, 87), cpu(6, 40)], [RAISE]],
    ['fires again after a resolve, as a new run', [cpu(31, 95), cpu(7, 40), cpu(31, 95)], [RAISE, RESOLVE, RAISE]],
    ['a gap of more than 3 intervals resets pending', [cpu(20, 95), ['gap', 40 * S], cpu(12, 95)], []],
    ['a gap of 3 intervals does not', [cpu(20, 95), ['gap', 30 * S], cpu(10, 95)], [RAISE]],
    ['a gap breaks the count towards clearing too', [cpu(31, 95), cpu(4, 40), ['gap', 40 * S], cpu(5, 40)], [RAISE]],
  ];
  for (const [name, parts, expected] of cases) {
    test(name, async () => assert.deepEqual(summary(await run([cpuHigh], samples(parts))), expected));
  }

  test('the raise: title, severity, dedup key, summary with the values, metric evidence; the resolve note', async () => {
    const calls = await run([cpuHigh], samples([cpu(10, 92), cpu(1, 99), cpu(20, 95), cpu(7, 40)]));
    assert.equal(calls.length, 2);
    const raise = calls[0]!;
    assert.ok(raise.kind === 'raise');
    const a = raise.input;
    assert.equal(a.source, 'resources');
    assert.equal(a.severity, 'medium');
    assert.equal(a.dedupKey, 'resources:cpu-high:host');
    assert.equal(a.title, 'CPU above 90 % for 5 min on web-1');
    assert.match(a.summary!, /CPU at 95 % on web-1/);
    assert.match(a.summary!, /peak 99 %/);
    assert.match(a.summary!, /below 85 % for 1 min/);
    assert.equal(a.ts, T0 + 300 * S);
    assert.deepEqual(a.evidence, [
      { kind: 'metric', ts: new Date(T0).toISOString(), metric: 'cpu', value: 92, target: 'host' },
      { kind: 'metric', ts: new Date(T0 + 100 * S).toISOString(), metric: 'cpu', value: 99, target: 'host' },
      { kind: 'metric', ts: new Date(T0 + 300 * S).toISOString(), metric: 'cpu', value: 95, target: 'host' },
    ]);
    assert.deepEqual(calls[1], { kind: 'resolve', dedupKey: 'resources:cpu-high:host', note: 'CPU back below 85 % for 1 min (now 40 %)' });
  });

  test('each mount has its own state; a rule naming a mount watches only that one', async () => {
    const srvOnly = rule({ id: 'srv-full', metric: 'disk', mount: '/srv', above: 80, for: '1m', clear_below: 70 });
    const calls = await run(
      [diskHigh, srvOnly],
      samples([
        [7, { disks: [disk('/', 95), disk('/srv', 50)] }],
        [7, { disks: [disk('/', 95), disk('/srv', 93)] }],
        [10, { disks: [disk('/', 40), disk('/srv', 93)] }],
      ]),
    );
    assert.deepEqual(summary(calls), ['raise resources:disk-high:/', 'raise resources:disk-high:/srv', 'raise resources:srv-full:/srv', 'resolve resources:disk-high:/']);
    const first = calls[0]!;
    assert.ok(first.kind === 'raise');
    assert.equal(first.input.title, 'Disk / 95 % full on web-1');
    assert.match(first.input.summary!, /95 GiB of 100 GiB used/);
    assert.deepEqual(first.input.evidence!.at(-1), { kind: 'metric', ts: new Date(T0 + 60 * S).toISOString(), metric: 'disk', value: 95, target: '/' });
  });

  test('a firing mount that is no longer reported resolves after clear_for; a pending one is forgotten', async () => {
    const calls = await run([diskHigh], samples([[7, { disks: [disk('/', 40), disk('/mnt/usb', 96)] }], [10, { disks: [disk('/', 40)] }]]));
    assert.equal(calls.length, 2);
    assert.ok(calls[1]!.kind === 'resolve');
    assert.equal(calls[1]!.dedupKey, 'resources:disk-high:/mnt/usb');
    assert.match(calls[1]!.note, /no longer reported/);
  });

  test('server rules: each running server against its own limits, named in the alert; a server that stops clears', async () => {
    const memory = rule({ id: 'server-memory-high', metric: 'server_memory', above: 95, for: '1m', clear_below: 90, clear_for: '1m', severity: 'medium' });
    const cpuLimit = rule({ id: 'server-cpu-high', metric: 'server_cpu', above: 95, for: '1m', clear_below: 80 });
    const sink = recordingSink();
    const t = createThresholds({ rules: [memory, cpuLimit], sink, intervalMs: EVERY, hostname: 'web-1', onError: () => {} });
    const MB = 1024 * 1024;
    const server = (id: string, memoryMb: number, over: Partial<ServerSample> = {}): ServerSample => ({
      serverId: id,
      name: id === 'a1' ? 'Survival' : 'Creative',
      ts: 0,
      cpuPct: 40,
      cpuLimitPct: 50,
      memoryBytes: memoryMb * MB,
      memoryLimitBytes: 100 * MB,
      netRxBps: 0,
      netTxBps: 0,
      diskBytes: 0,
      diskLimitBytes: 0,
      ...over,
    });
    let ts = T0;
    const round = async (servers: ServerSample[]) => {
      await t.observe(sample(ts), servers.map((x) => ({ ...x, ts })));
      ts += EVERY;
    };
    // a1 at 97 % of its memory limit, b2 at 50 %; b2's CPU at 49 of its 50 % (0.5 CPU) is 98 % of its limit.
    for (let i = 0; i < 7; i += 1) await round([server('a1', 97), server('b2', 50, { cpuPct: 49 })]);
    assert.deepEqual(summary(sink.calls), ['raise resources:server-memory-high:server:a1', 'raise resources:server-cpu-high:server:b2']);
    const raised = sink.calls[0]!;
    assert.ok(raised.kind === 'raise');
    assert.equal(raised.input.title, 'Server Survival memory above 95 % of its limit for 1 min on web-1');
    assert.match(raised.input.summary!, /Server Survival memory at 97 % of its limit on web-1/);
    assert.equal(raised.input.details!.serverId, 'a1');
    assert.equal(raised.input.details!.serverName, 'Survival');
    // A server without a disk limit reading (0) or a CPU figure (null, its first reading) gives no reading at all.
    assert.equal(readingsOf(rule({ id: 'disk-limit', metric: 'server_disk', above: 90, for: '1m', clear_below: 80 }), sample(T0), [server('a1', 10)]).length, 0);
    assert.equal(readingsOf(cpuLimit, sample(T0), [server('a1', 10, { cpuPct: null })]).length, 0);
    // a1 stops (no longer in the rounds): its alert clears once it has been silent for longer than clear_for; b2 drops
    // below clear_below and clears the usual way.
    for (let i = 0; i < 10; i += 1) await round([server('b2', 50, { cpuPct: 10 })]);
    assert.deepEqual(summary(sink.calls).slice(2).sort(), ['resolve resources:server-cpu-high:server:b2', 'resolve resources:server-memory-high:server:a1']);
    const gone = sink.calls.find((c) => c.kind === 'resolve' && c.dedupKey.endsWith(':a1'));
    assert.ok(gone?.kind === 'resolve');
    assert.match(gone.note, /^Server Survival memory no longer reported since .* \(the server stopped or was deleted, or the rule changed\)$/);
  });

  test('load per CPU: the load average divided by the CPUs', async () => {
    const load = rule({ id: 'load', metric: 'load15_per_cpu', above: 2, for: '1m', clear_below: 1.5 });
    assert.deepEqual(summary(await run([load], samples([[10, { load15: 7.9, cpuCount: 4 }]]))), []);
    const calls = await run([load], samples([[10, { load15: 8.4, cpuCount: 4 }]]));
    assert.deepEqual(summary(calls), ['raise resources:load:host']);
    assert.ok(calls[0]!.kind === 'raise');
    assert.equal(calls[0]!.input.title, 'Load per CPU (15 min) above 2 for 1 min on web-1');
  });

  test('a host without swap never fires the swap rule', async () => {
    const swap = rule({ id: 'swap', metric: 'swap', above: 80, for: '1m', clear_below: 70 });
    assert.deepEqual(await run([swap], samples([[20, { swapUsedPct: null }]])), []);
  });

  test('a disabled rule does nothing, and reports its state as ok', async () => {
    const off = rule({ id: 'cpu-high', metric: 'cpu', above: 90, for: '5m', clear_below: 85, enabled: false });
    const sink = recordingSink();
    const t = createThresholds({ rules: [off], sink, intervalMs: EVERY, hostname: 'web-1', onError: () => {} });
    for (const s of samples([cpu(100, 99)])) await t.observe(s);
    assert.deepEqual(sink.calls, []);
    assert.equal(t.status()[0]!.state, 'ok');
  });

  test('a local override changes a shipped rule (lower level) and turns another off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-resource-rules-'));
    cpSync(join(SHIPPED_RESOURCE_RULES_DIR, 'host.yml'), join(dir, 'host.yml'));
    writeFileSync(join(dir, 'site.local.yml'), 'rules:\n  - id: cpu-high\n    above: 50\n    clear_below: 40\n  - id: memory-high\n    enabled: false\n');
    const rules = loadResourceRules(dir);
    const calls = await run(rules, samples([[31, { cpu: 60, memUsedPct: 99 }]]));
    assert.deepEqual(summary(calls), [RAISE]);
    assert.ok(calls[0]!.kind === 'raise');
    assert.equal(calls[0]!.input.title, 'CPU above 50 % for 5 min on web-1');
  });

  test('rule states: pending since the first reading above, then firing, with the last value', async () => {
    const t = createThresholds({ rules: [cpuHigh, diskHigh], sink: recordingSink(), intervalMs: EVERY, hostname: 'web-1', onError: () => {} });
    const list = samples([[10, { cpu: 95, disks: [disk('/', 40), disk('/srv', 97)] }]]);
    for (const s of list) await t.observe(s);
    const [c, d] = t.status();
    assert.equal(c!.state, 'pending');
    assert.equal(c!.since, T0);
    assert.equal(c!.value, 95);
    assert.equal(d!.state, 'firing');
    assert.equal(d!.since, T0 + 60 * S);
    assert.deepEqual(d!.targets.map((x) => [x.target, x.state]), [['/', 'ok'], ['/srv', 'firing']]);
  });

  test('a failed raise is tried again on the next sample, and made once', async () => {
    const sink = recordingSink();
    const errors: string[] = [];
    const t = createThresholds({ rules: [cpuHigh], sink, intervalMs: EVERY, hostname: 'web-1', onError: (_e, key) => errors.push(key) });
    const list = samples([cpu(40, 95)]);
    for (const s of list.slice(0, 30)) await t.observe(s);
    sink.fail(2);
    for (const s of list.slice(30)) await t.observe(s);
    assert.deepEqual(errors, ['resources:cpu-high:host', 'resources:cpu-high:host']);
    assert.deepEqual(summary(sink.calls), [RAISE]);
    assert.ok(sink.calls[0]!.kind === 'raise');
    assert.equal(sink.calls[0]!.input.ts, T0 + 320 * S);
  });

  test('after a restart a restored alert resolves when the values say so, without a second raise; a rule gone is reported', async () => {
    const sink = recordingSink();
    const t = createThresholds({ rules: [cpuHigh], sink, intervalMs: EVERY, hostname: 'web-1', onError: () => {} });
    const orphans = t.restore(
      [
        { dedupKey: 'resources:cpu-high:host', rule: 'cpu-high', target: 'host', since: T0 - 10 * M, value: 97 },
        { dedupKey: 'resources:gone:host', rule: 'gone', target: 'host', since: T0 - 10 * M, value: 97 },
      ],
      T0 - EVERY,
    );
    assert.deepEqual(orphans.map((o) => o.rule), ['gone']);
    assert.equal(t.firing().length, 1);
    for (const s of samples([cpu(3, 95), cpu(7, 30)])) await t.observe(s);
    assert.deepEqual(summary(sink.calls), [RESOLVE]);
    assert.deepEqual(t.firing(), []);
  });
});
