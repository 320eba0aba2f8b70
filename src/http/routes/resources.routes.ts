// Host resources API: the latest sample, the history as chart columns, the threshold rules with their state (scope nodes.view).
import { z } from 'zod';
import { SERIES, type ResourcesService, type RuleStatus } from '../../resources/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { historyQuery, historyWindow, iso } from './history-range.ts';

const seriesValues = z.array(z.number().nullable());
const seriesRecord = z.object(Object.fromEntries(SERIES.map((name) => [name, seriesValues])) as Record<(typeof SERIES)[number], typeof seriesValues>);

const sampleSchema = z.object({
  ts: z.string(),
  cpu: z.number().describe('CPU busy over all cores, percent.'),
  cpuCount: z.number().int(),
  load1: z.number(),
  load5: z.number(),
  load15: z.number(),
  memUsedPct: z.number().describe('Memory in use (total minus available), percent.'),
  memUsedBytes: z.number(),
  memTotalBytes: z.number(),
  swapUsedPct: z.number().nullable().describe('null: the host has no swap.'),
  disks: z.array(z.object({ mount: z.string(), usedPct: z.number(), usedBytes: z.number(), sizeBytes: z.number() })),
  diskReadBps: z.number().nullable(),
  diskWriteBps: z.number().nullable(),
  netRxBps: z.number().nullable().describe('Received over every interface but loopback and Docker\'s bridges, bytes per second.'),
  netTxBps: z.number().nullable(),
});

const historySchema = z.object({
  resolution: z.enum(['10s', '5m']),
  stepSeconds: z.number().int(),
  from: z.string(),
  to: z.string(),
  ts: z.array(z.number()).describe('Milliseconds since the epoch, one per point; each series has a value (or null) per point.'),
  series: seriesRecord.describe('Values (10s) or averages per 5 minutes (5m).'),
  max: seriesRecord.nullable().describe('5m: the maximum of each 5 minutes; 10s: null.'),
  disks: z.array(z.object({ mount: z.string(), usedPct: seriesValues, usedPctMax: seriesValues.nullable(), sizeBytes: z.number().nullable() })),
});

const state = z.enum(['ok', 'pending', 'firing']);
const ruleSchema = z.object({
  id: z.string(),
  description: z.string(),
  metric: z.string(),
  mount: z.string().nullable(),
  above: z.number(),
  forSeconds: z.number(),
  clearBelow: z.number(),
  clearForSeconds: z.number(),
  severity: z.string(),
  enabled: z.boolean(),
  file: z.string(),
  state: state.describe('The worst state among the rule\'s targets.'),
  since: z.string().nullable(),
  value: z.number().nullable(),
  targets: z.array(
    z.object({
      target: z.string().describe('"host", a mount for disk rules, "server:<id>" for server rules.'),
      name: z.string().nullable().describe('The server\'s name for server rules; null otherwise.'),
      state,
      since: z.string(),
      value: z.number(),
      ts: z.string(),
    }),
  ),
});

const presentRule = ({ rule, state, since, value, targets }: RuleStatus) => ({
  id: rule.id,
  description: rule.description,
  metric: rule.metric,
  mount: rule.mount ?? null,
  above: rule.above,
  forSeconds: rule.for / 1000,
  clearBelow: rule.clear_below,
  clearForSeconds: rule.clear_for / 1000,
  severity: rule.severity,
  enabled: rule.enabled,
  file: rule.file,
  state,
  since: iso(since),
  value,
  targets: targets.map((t) => ({ target: t.target, name: t.name, state: t.state, since: iso(t.since)!, value: t.value, ts: iso(t.ts)! })),
});

// SECURITY: the figures describe the machine (host name, mounts, load): nodes.view ("see Docker nodes and their
// health"), held by operators and auditors, not every signed-in user.
export const resourcesRoutes = (s: { resources: ResourcesService; clock: Clock }): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/resources/current',
    summary: 'The host\'s latest sample: CPU, load, memory, swap, disks, disk and network rates (scope nodes.view: the host is the local Docker node).',
    tag: 'resources',
    access: { scope: 'nodes.view' },
    responses: {
      200: {
        description: 'The latest sample (null before the first one, or when resource monitoring is off)',
        schema: z.object({ host: z.string(), running: z.boolean(), intervalSeconds: z.number(), sample: sampleSchema.nullable() }),
      },
    },
    handler: (ctx) => {
      const sample = s.resources.latest();
      ctx.body = {
        host: s.resources.hostname,
        running: s.resources.running(),
        intervalSeconds: s.resources.intervalMs / 1000,
        sample: sample ? { ...sample, ts: new Date(sample.ts).toISOString() } : null,
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/resources/history',
    summary: 'The host\'s history as chart columns: raw 10-second samples for up to 24 hours, 5-minute averages and maxima beyond (scope nodes.view).',
    tag: 'resources',
    access: { scope: 'nodes.view' },
    query: historyQuery,
    responses: { 200: { description: 'History', schema: historySchema }, 400: { description: 'validation_failed' } },
    handler: async (ctx, { query }) => {
      const h = await s.resources.history(historyWindow(query, s.clock.now()));
      ctx.body = { resolution: h.resolution, stepSeconds: h.stepMs / 1000, from: iso(h.from), to: iso(h.to), ts: h.ts, series: h.series, max: h.max, disks: h.disks };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/resources/rules',
    summary: 'The resource threshold rules in force (rules/resources, *.local.yml over them), each with its state: ok, pending or firing, per target (scope nodes.view).',
    tag: 'resources',
    access: { scope: 'nodes.view' },
    responses: { 200: { description: 'Rules', schema: z.object({ items: z.array(ruleSchema) }) } },
    handler: (ctx) => {
      ctx.body = { items: s.resources.rules().map(presentRule) };
    },
  }),
];
