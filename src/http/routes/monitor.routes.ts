// The security monitor: detections with their evidence, bans (list, add, lift) and the rules with their hit counts.
import { z } from 'zod';
import { addressKey } from '../../shared/cidr.ts';
import { conflict } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { idParam, limitQuery } from '../schemas.ts';
import type { Services } from '../services.ts';

const banSchema = z.object({
  id: z.number().int(),
  ip: z.string().describe('The address, or the IPv6 /64 it belongs to.'),
  reason: z.string(),
  rule: z.string().nullable(),
  source: z.enum(['rule', 'manual']),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
  liftedAt: z.string().nullable(),
  liftedBy: z.string().nullable(),
  hits: z.number().int().describe('Requests refused while the ban was in force.'),
  lastHitAt: z.string().nullable(),
});

const detectionSchema = z.object({
  id: z.number().int(),
  rule: z.string(),
  severity: z.string(),
  key: z.string(),
  ip: z.string().nullable(),
  user: z.string().nullable(),
  ts: z.string(),
  count: z.number().int(),
  simulated: z.boolean(),
  outcome: z.string().describe('What was done: banned until …, not banned: allowlisted, ban simulated.'),
  evidence: z.array(z.record(z.string(), z.unknown())),
  details: z.record(z.string(), z.unknown()),
});

const banId = z.strictObject({ id: z.coerce.number().int().positive() });

const knownIpSchema = z.object({ ip: z.string(), firstSeen: z.string(), lastSeen: z.string(), logins: z.number().int() });

export const monitorRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/monitor/known-ips/:id',
    summary: 'The addresses a user has signed in from (from the audit trail): first and last time, number of sign-ins.',
    tag: 'monitor',
    access: { scope: 'monitor.view' },
    params: idParam,
    responses: { 200: { description: 'Addresses', schema: z.object({ items: z.array(knownIpSchema) }) }, 404: { description: 'No such user' } },
    handler: async (ctx, { params }) => {
      await s.users.row(params.id);
      const rows = (await s.db('audit_events')
        .where({ type: 'auth.login.success', actor_id: params.id })
        .whereNotNull('ip')
        .groupBy('ip')
        .select('ip')
        .min({ first: 'ts' })
        .max({ last: 'ts' })
        .count({ n: '*' })
        .orderBy('last', 'desc')
        .limit(200)) as Array<{ ip: string; first: number | string; last: number | string; n: number | string }>;
      ctx.body = { items: rows.map((r) => ({ ip: r.ip, firstSeen: new Date(Number(r.first)).toISOString(), lastSeen: new Date(Number(r.last)).toISOString(), logins: Number(r.n) })) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/monitor/detections',
    summary: 'Detections, newest first, with the events that made each rule fire.',
    tag: 'monitor',
    access: { scope: 'monitor.view' },
    query: z.strictObject({ limit: limitQuery, rule: z.string().max(80).optional(), ip: z.string().max(64).optional(), before: z.coerce.number().int().positive().optional().describe('Only detections with a smaller id (paging).') }),
    responses: { 200: { description: 'Detections', schema: z.object({ items: z.array(detectionSchema) }) } },
    handler: async (ctx, { query }) => {
      ctx.body = { items: await s.monitor.detections({ limit: query.limit, rule: query.rule, ip: query.ip, beforeId: query.before }) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/monitor/bans',
    summary: 'Bans, newest first (only those in force with active=true).',
    tag: 'monitor',
    access: { scope: 'monitor.view' },
    query: z.strictObject({ limit: limitQuery, active: z.enum(['true', 'false']).optional() }),
    responses: { 200: { description: 'Bans', schema: z.object({ items: z.array(banSchema) }) } },
    handler: async (ctx, { query }) => {
      ctx.body = { items: await s.bans.list({ activeOnly: query.active === 'true', limit: query.limit }) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/monitor/bans',
    summary: 'Ban an address (an IPv6 address bans its /64). Never the admin IP allowlist, nor your own address.',
    tag: 'monitor',
    access: { scope: 'monitor.edit' },
    body: z.strictObject({
      ip: z.string().min(2).max(64),
      durationMinutes: z.number().int().min(1).max(525_600).nullable().default(60).describe('null: until lifted.'),
      reason: z.string().trim().min(1).max(300),
    }),
    responses: { 201: { description: 'Banned', schema: z.object({ ban: banSchema }) }, 400: { description: 'invalid_ip' }, 409: { description: 'own_address, allowlisted or already_banned' } },
    handler: async (ctx, { body }) => {
      // SECURITY: an administrator cannot lock themselves out by mistake.
      if (addressKey(body.ip) === addressKey(ctx.state.ip)) throw conflict('own_address', 'That is your own address: banning it would lock you out.');
      const res = await s.bans.ban(ctx.state.caller, { ip: body.ip, durationMs: body.durationMinutes === null ? null : body.durationMinutes * 60_000, reason: body.reason, guardAdminSessions: false });
      if (!res.banned) throw conflict(res.reason, res.reason === 'already_banned' ? 'This address is already banned.' : 'This address is on the admin IP allowlist or monitor.neverBan: it is never banned.');
      ctx.status = 201;
      ctx.body = { ban: res.ban };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/monitor/bans/:id',
    summary: 'Lift a ban at once.',
    tag: 'monitor',
    access: { scope: 'monitor.edit' },
    params: banId,
    responses: { 200: { description: 'Lifted', schema: z.object({ ban: banSchema }) }, 404: { description: 'No such ban' }, 409: { description: 'ban_not_active' } },
    handler: async (ctx, { params }) => {
      ctx.body = { ban: await s.bans.lift(ctx.state.caller, params.id) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/monitor/rules',
    summary: 'The detection rules in force: kind, severity, actions, enabled or simulated, detections since start.',
    tag: 'monitor',
    access: { scope: 'monitor.view' },
    responses: {
      200: {
        description: 'Rules',
        schema: z.object({
          items: z.array(z.object({ id: z.string(), kind: z.string(), description: z.string(), severity: z.string(), enabled: z.boolean(), simulate: z.boolean(), actions: z.array(z.string()), file: z.string(), detections: z.number().int(), lastDetectionAt: z.string().nullable(), keys: z.number().int() })),
          evaluation: z.enum(['local', 'leader', 'follower']).describe('local: this panel evaluates its own events; with replicas sharing a Redis, the leader evaluates every replica\'s events and holds the counts, a follower hands its events on'),
        }),
      },
    },
    handler: (ctx) => {
      const stats = new Map(s.monitor.stats().map((x) => [x.rule, x]));
      ctx.body = {
        evaluation: s.monitor.evaluation(),
        items: s.monitor.rules.map((r) => {
          const st = stats.get(r.id);
          return {
            id: r.id,
            kind: r.kind,
            description: r.description,
            severity: r.severity,
            enabled: r.enabled,
            simulate: r.simulate,
            actions: r.actions,
            file: r.file,
            detections: st?.detections ?? 0,
            lastDetectionAt: st?.lastDetectionTs ? new Date(st.lastDetectionTs).toISOString() : null,
            keys: st?.keys ?? 0,
          };
        }),
      };
    },
  }),
];
