// Shared by the resource tests: a migrated SQLite file in a temp dir, samples with chosen values, rules, a recording alert sink.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RaiseAlert } from '../../src/alerts/alerts.types.ts';
import { createDb, migrateLatest, type Db } from '../../src/db/index.ts';
import * as m006 from '../../src/db/migrations/006-resources.ts';
import type { ResourceRule } from '../../src/resources/rules/loader.ts';
import { resourceRuleSchema } from '../../src/resources/rules/schema.ts';
import type { DiskUsage, ResourceSample } from '../../src/resources/sample.ts';
import type { ResourceAlertSink } from '../../src/resources/thresholds.ts';

export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;
export const D = 24 * H;
export const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);

/** A real SQLite file with every migration applied (006 directly until the migration list names it). */
export async function tempDb(): Promise<Db> {
  const file = join(mkdtempSync(join(tmpdir(), 'aether-resources-')), 'database.db');
  const db = createDb({ client: 'sqlite', filename: file, busyTimeoutMs: 5000 }, file);
  await migrateLatest(db);
  if (!(await db.schema.hasTable('resource_history'))) await m006.up(db);
  return db;
}

export const disk = (mount: string, usedPct: number, sizeBytes = 100 * 1024 ** 3): DiskUsage => ({ mount, usedPct, usedBytes: Math.round((sizeBytes * usedPct) / 100), sizeBytes });

/** A quiet host at ts, with the given values changed. */
export function sample(ts: number, over: Partial<Omit<ResourceSample, 'ts'>> = {}): ResourceSample {
  return {
    ts,
    cpu: 10,
    cpuCount: 4,
    load1: 0.5,
    load5: 0.5,
    load15: 0.5,
    memUsedPct: 20,
    memUsedBytes: 2 * 1024 ** 3,
    memTotalBytes: 10 * 1024 ** 3,
    swapUsedPct: 0,
    disks: [disk('/', 40)],
    diskReadBps: 1000,
    diskWriteBps: 2000,
    netRxBps: 300,
    netTxBps: 400,
    ...over,
  };
}

export function rule(spec: Record<string, unknown>): ResourceRule {
  return { ...resourceRuleSchema.parse(spec), file: 'test.yml', line: 1 };
}

export type SinkCall = { kind: 'raise'; input: RaiseAlert } | { kind: 'resolve'; dedupKey: string; note: string };

/** Records what it is given; fail(n) makes the next n calls throw. */
export function recordingSink(): ResourceAlertSink & { calls: SinkCall[]; fail(n: number): void } {
  const calls: SinkCall[] = [];
  let failures = 0;
  const check = () => {
    if (failures > 0) {
      failures -= 1;
      throw new Error('alerts inbox unavailable');
    }
  };
  return {
    calls,
    fail: (n) => {
      failures = n;
    },
    async raise(input) {
      check();
      calls.push({ kind: 'raise', input });
    },
    async resolve(dedupKey, note) {
      check();
      calls.push({ kind: 'resolve', dedupKey, note });
    },
  };
}
