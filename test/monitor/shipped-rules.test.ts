// Every shipped rule against its samples under test/fixtures/rules: what must fire does, what must not does not. A rule without samples fails.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../../src/monitor/duration.ts';
import { createEngine, type Detection } from '../../src/monitor/engine/engine.ts';
import type { MonitorEvent } from '../../src/monitor/event.ts';
import { SHIPPED_RULES_DIR } from '../../src/monitor/index.ts';
import { MALFORMED, parserFor } from '../../src/monitor/parsers/index.ts';
import { loadRules } from '../../src/monitor/rules/loader.ts';

process.env.TZ = 'UTC';

const FIXTURES = fileURLToPath(new URL('../fixtures/rules', import.meta.url));
const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);

type SampleEvent = { at?: string; event: string; ip?: string; user?: string; http?: { method?: string; path?: string; status?: number }; fields?: Record<string, string | number | boolean | null> };
type Sample = {
  name: string;
  format?: 'syslog' | 'nginx' | 'audit';
  lines?: string;
  events?: SampleEvent[];
  repeat?: { count: number; every: string; from?: string; line?: string; start?: string; event?: SampleEvent };
  rate?: { key: string; perMinute: number[] };
  expect: Array<{ key: string; count?: number }>;
};

const ms = (d: string | undefined) => (d === undefined ? 0 : parseDuration(d)!);

function toEvent(s: SampleEvent, ts: number, i = 0): MonitorEvent {
  const http = s.http ? { method: s.http.method ?? 'GET', path: (s.http.path ?? '/').replace('{i}', String(i)), status: s.http.status ?? 200, bytes: 0, userAgent: null } : null;
  return { ts, source: 'panel', event: s.event, ip: s.ip ?? null, user: s.user ?? null, service: 'panel', http, fields: s.fields ?? null };
}

/** The sample as events in time order: log lines parsed, events placed at their offsets, repeats and rates expanded. */
function eventsOf(sample: Sample): MonitorEvent[] {
  const out: MonitorEvent[] = [];
  if (sample.lines) {
    const parse = parserFor(sample.format ?? 'syslog', { year: 2026 });
    for (const line of sample.lines.trim().split('\n')) {
      const ev = parse(line);
      assert.ok(ev !== MALFORMED && ev !== null, `sample line not parsed: ${line}`);
      out.push(ev);
    }
  }
  for (const e of sample.events ?? []) out.push(toEvent(e, T0 + ms(e.at)));
  const r = sample.repeat;
  if (r?.line) {
    const parse = parserFor(sample.format ?? 'syslog', { year: 2026 });
    const start = Date.parse(`${r.start} 2026 UTC`);
    for (let i = 0; i < r.count; i += 1) {
      const t = new Date(start + i * ms(r.every));
      const stamp = `${t.toUTCString().slice(8, 11)} ${String(t.getUTCDate()).padStart(2, ' ')} ${t.toISOString().slice(11, 19)}`;
      const ev = parse(`${stamp} ${r.line}`);
      assert.ok(ev !== MALFORMED && ev !== null);
      out.push(ev);
    }
  } else if (r?.event) {
    for (let i = 0; i < r.count; i += 1) out.push(toEvent(r.event, T0 + ms(r.from) + i * ms(r.every), i));
  }
  if (sample.rate) {
    sample.rate.perMinute.forEach((n, minute) => {
      for (let i = 0; i < n; i += 1) {
        out.push(toEvent({ event: 'http.request', ip: '10.0.0.1', http: { path: '/api/v1/users', status: 200 }, fields: { actorType: 'client', actorId: sample.rate!.key } }, T0 + minute * 60_000 + Math.floor((i * 60_000) / (n + 1))));
      }
    });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

const rules = loadRules(SHIPPED_RULES_DIR);
const samples = new Map<string, Sample[]>();
for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.yml'))) {
  for (const [rule, list] of Object.entries(parseYaml(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, Sample[]>)) samples.set(rule, list);
}

describe('shipped rules against their samples', () => {
  test('every shipped rule has samples, with a case that fires and one that must not', () => {
    const missing = rules.filter((r) => !samples.has(r.id)).map((r) => r.id);
    assert.deepEqual(missing, [], 'rules without samples under test/fixtures/rules');
    for (const [id, list] of samples) {
      assert.ok(rules.some((r) => r.id === id), `samples for a rule that does not exist: ${id}`);
      assert.ok(list.some((s) => s.expect.length > 0) && list.some((s) => s.expect.length === 0), `${id} needs a positive and a negative sample`);
    }
  });

  for (const [id, list] of samples) {
    for (const sample of list) {
      test(`${id}: ${sample.name}`, () => {
        const detections: Detection[] = [];
        // All shipped rules run together, as in the panel (a sequence needs the rule it follows).
        const engine = createEngine(rules, (d) => detections.push(d));
        for (const ev of eventsOf(sample)) engine.feed(ev);
        const mine = detections.filter((d) => d.rule === id);
        assert.deepEqual(
          mine.map((d) => ({ key: d.key, ...(sample.expect.some((e) => e.count !== undefined) ? { count: d.count } : {}) })),
          sample.expect.map((e) => ({ key: e.key, ...(e.count !== undefined ? { count: e.count } : {}) })),
        );
      });
    }
  }
});
