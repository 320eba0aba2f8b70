// The rule file format: what each kind of rule says, checked at load so a bad rule stops start-up with its file and line.
import { z } from 'zod';
import { parseDuration } from '../duration.ts';

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 10m, 1h, 7d' });
    return z.NEVER;
  }
  return ms;
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A condition on one field: a value to equal, or one of in / cidr / regex / exists, optionally negated with not. */
const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    scalar,
    z.strictObject({ in: z.array(scalar).min(1).max(1000) }),
    z.strictObject({ cidr: z.array(z.string()).min(1).max(1000) }),
    z.strictObject({ regex: z.string().min(1).max(300) }),
    z.strictObject({ exists: z.boolean() }),
    z.strictObject({ not: condition }),
  ]),
);

export type Condition =
  | string
  | number
  | boolean
  | null
  | { in: Array<string | number | boolean | null> }
  | { cidr: string[] }
  | { regex: string }
  | { exists: boolean }
  | { not: Condition };

const match = z.record(z.string().min(1).max(100), condition).describe('Field conditions, all of which must hold.');

const key = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(5)]).describe('The field(s) state is kept per.');

const prefix = z.strictObject({ v4: z.number().int().min(8).max(32).default(32), v6: z.number().int().min(16).max(128).default(64) });

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,79}$/, 'lower-case letters, digits, dot, dash, underscore'),
  title: z.string().min(1).max(120).optional().describe('Short name used in alert titles, e.g. "Panel login brute force".'),
  description: z.string().max(500).default(''),
  enabled: z.boolean().default(true),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).default('medium'),
  match,
  key: key.default('ip'),
  ipPrefix: prefix.prefault({}).describe('Addresses are grouped by these prefixes when they are a key or a value (IPv6 /64 by default).'),
  actions: z.array(z.enum(['alert', 'ban'])).min(1).default(['alert']),
  ban: z
    .strictObject({ duration: duration.prefault('10m'), factor: z.number().min(1).max(100).default(2), max: duration.prefault('7d') })
    .prefault({})
    .describe('Ban length; each repeat ban of the same address lasts factor times longer, up to max.'),
  simulate: z.boolean().default(false).describe('Record detections, enforce nothing.'),
  banAdminSessions: z.boolean().default(false).describe('Also ban the address of an administrator\'s live session.'),
  /** Most keys a rule keeps state for; the least recently used are dropped beyond it. */
  maxKeys: z.number().int().min(10).max(1_000_000).default(50_000),
};

export const ruleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...common, kind: z.literal('threshold'), threshold: z.number().int().min(1).max(1_000_000), window: duration, distinct: z.string().min(1).optional() }),
  z.strictObject({ ...common, kind: z.literal('leaky'), capacity: z.number().int().min(1).max(1_000_000), leak: duration.describe('One event leaks out per this time.'), cooldown: duration.prefault('5m') }),
  z.strictObject({
    ...common,
    kind: z.literal('new_value'),
    value: z.string().min(1).describe('The field whose new values are reported (e.g. ip).'),
    learning: duration.prefault('0s').describe('After an entity is first seen, its values are learned silently for this long.'),
    memory: duration.prefault('90d').describe('A value not seen for this long is forgotten.'),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('rate_anomaly'),
    interval: duration.prefault('1m'),
    alpha: z.number().gt(0).max(1).default(0.2).describe('Weight of the newest interval in the moving average.'),
    warmup: z.number().int().min(1).max(10_000).default(10).describe('Intervals observed before any trigger.'),
    minCount: z.number().int().min(1).default(20).describe('An interval needs at least this many events to trigger.'),
    zscore: z.number().positive().optional(),
    ratio: z.number().gt(1).optional(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('sequence'),
    after: z.union([
      z.strictObject({ rule: z.string().min(1) }),
      z.strictObject({ match, count: z.number().int().min(1).default(1) }),
    ]),
    within: duration,
  }),
]);

export type RuleSpec = z.output<typeof ruleSchema>;

/** A rule file: a list of rules. A *.local.yml file may also turn shipped rules off or change their settings. */
export const ruleFileSchema = z.strictObject({ rules: z.array(z.record(z.string(), z.unknown())).max(1000) });
