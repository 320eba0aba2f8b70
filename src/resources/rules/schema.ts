// The resource threshold rule format (rules/resources/*.yml): a metric above a level for a while fires, below a lower level for a while clears.
import { z } from 'zod';
import { SEVERITIES } from '../../alerts/alerts.types.ts';
import { parseDuration } from '../../monitor/index.ts';

export const METRICS = [
  'cpu', 'memory', 'swap', 'disk', 'load1', 'load5', 'load15', 'load1_per_cpu', 'load5_per_cpu', 'load15_per_cpu',
  'server_cpu', 'server_memory', 'server_disk',
] as const;
export type Metric = (typeof METRICS)[number];

/** Metrics of each running server, against its own limits; the others are the host's. */
export const SERVER_METRICS: ReadonlySet<Metric> = new Set(['server_cpu', 'server_memory', 'server_disk']);

/** Metrics in percent (0-100); the load averages are run-queue lengths. */
export const PERCENT_METRICS: ReadonlySet<Metric> = new Set(['cpu', 'memory', 'swap', 'disk', 'server_cpu', 'server_memory', 'server_disk']);

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 10m, 1h' });
    return z.NEVER;
  }
  return ms;
});

export const resourceRuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,79}$/, 'lower-case letters, digits, dot, dash, underscore'),
    description: z.string().max(500).default(''),
    enabled: z.boolean().default(true),
    severity: z.enum(SEVERITIES).default('medium'),
    metric: z
      .enum(METRICS)
      .describe('cpu, memory, swap, disk: percent used; loadN: load average; loadN_per_cpu: load average divided by the CPUs; server_cpu, server_memory, server_disk: each running server\'s use, percent of its own limit.'),
    mount: z.string().min(1).max(1000).optional().describe('Disk rules only: the one mount point to watch; absent, every mount is watched on its own.'),
    above: z.number().min(0).max(1_000_000).describe('Fires when the value is greater than this ...'),
    for: duration.describe('... for this long without a break (one spike does not fire).'),
    clear_below: z.number().min(0).describe('Clears when the value is less than this (lower than above, so a value hovering at the level does not flap) ...'),
    clear_for: duration.prefault('1m').describe('... for this long.'),
  })
  .superRefine((rule, ctx) => {
    if (rule.clear_below >= rule.above) {
      ctx.addIssue({ code: 'custom', path: ['clear_below'], message: `must be below above (${rule.above}), or the alert would flap around one value` });
    }
    if (PERCENT_METRICS.has(rule.metric) && rule.above >= 100) ctx.addIssue({ code: 'custom', path: ['above'], message: `${rule.metric} is a percentage: it is never above 100` });
    if (rule.mount !== undefined && rule.metric !== 'disk') ctx.addIssue({ code: 'custom', path: ['mount'], message: 'only disk rules watch a mount' });
  });

export type ResourceRuleSpec = z.output<typeof resourceRuleSchema>;
