// The audit log: filter by type, actor, address and time, newest first, with cursor pagination.
import { z } from 'zod';
import { publicAuditEvent } from '../../audit/index.ts';
import { badRequest } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { cursorQuery, decodeCursor, encodeCursor, limitQuery, page } from '../schemas.ts';
import type { Services } from '../services.ts';

const time = z.string().max(40).optional().describe('ISO 8601 time.');
const toMs = (value: string | undefined, name: string): number | undefined => {
  if (!value) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest('validation_failed', `Invalid query.${name}: not an ISO 8601 time.`);
  return ms;
};

const eventSchema = z.object({
  id: z.string(),
  ts: z.string(),
  type: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  target: z.object({ type: z.string().nullable(), id: z.string().nullable(), name: z.string().nullable() }),
  outcome: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const auditRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/audit',
    summary: 'Audit events, newest first. type accepts a prefix ending in * (auth.*).',
    tag: 'audit',
    access: { scope: 'audit.view' },
    query: z.strictObject({
      type: z.string().max(100).optional(),
      actor: z.string().max(254).optional().describe('Actor id or name.'),
      ip: z.string().max(64).optional(),
      from: time,
      to: time,
      limit: limitQuery,
      cursor: cursorQuery,
    }),
    responses: { 200: { description: 'A page of events', schema: page(eventSchema) } },
    handler: async (ctx, { query }) => {
      const events = await s.audit.list({
        type: query.type,
        actor: query.actor,
        ip: query.ip,
        from: toMs(query.from, 'from'),
        to: toMs(query.to, 'to'),
        beforeId: decodeCursor<number>(query.cursor, 'number'),
        limit: query.limit + 1,
      });
      const items = events.slice(0, query.limit);
      ctx.body = {
        items: items.map(publicAuditEvent),
        nextCursor: events.length > query.limit ? encodeCursor(items[items.length - 1]!.id) : null,
      };
    },
  }),
];
