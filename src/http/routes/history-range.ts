// The time range of a history request (the host's or a server's): a named range up to now, or from/to, at most 31 days.
import { z } from 'zod';
import { badRequest } from '../../shared/errors.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGES = { '1h': HOUR, '6h': 6 * HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
/** 30 days of history and a little room for a from/to range drawn by hand. */
const MAX_SPAN = 31 * DAY;

const time = z.string().max(40).optional().describe('ISO 8601 time.');

export const historyQuery = z.strictObject({
  range: z.enum(['1h', '6h', '24h', '7d', '30d']).optional().describe('The last hour, 6 hours, day, week or 30 days (default 1h). Not with from/to.'),
  from: time,
  to: time,
  resolution: z.enum(['auto', '10s', '5m']).default('auto').describe('auto: 10s for ranges up to 24 hours, else 5m.'),
});

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const toMs = (value: string, name: string): number => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest('validation_failed', `Invalid query.${name}: not an ISO 8601 time.`);
  return ms;
};

/** The window asked for, in ms since the epoch; 400 validation_failed when it is not one. */
export function historyWindow(query: z.infer<typeof historyQuery>, now: number): { from: number; to: number; resolution: 'auto' | '10s' | '5m' } {
  if (query.range && (query.from || query.to)) throw badRequest('validation_failed', 'Give range, or from and to, not both.');
  const to = query.to ? toMs(query.to, 'to') : now;
  const from = query.from ? toMs(query.from, 'from') : to - RANGES[query.range ?? '1h'];
  if (from >= to) throw badRequest('validation_failed', 'Invalid query.from: must be before to.');
  if (to - from > MAX_SPAN) throw badRequest('validation_failed', 'Invalid query.from: the range may span 31 days at most.');
  return { from, to, resolution: query.resolution };
}
