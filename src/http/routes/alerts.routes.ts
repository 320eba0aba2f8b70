// The alert inbox: list and filter, detail with timeline and related activity, acknowledge/resolve (one or many),
// notes, assignment, one-click responses, a live stream; and the notification channels with their test button.
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { ALERT_SOURCES, ALERT_STATUSES, DEFAULT_RATE_LIMIT, providerTypes, RESPONSES, SEVERITIES, type AlertChange } from '../../alerts/index.ts';
import { publicAuditEvent } from '../../audit/index.ts';
import { can } from '../../auth/permissions.ts';
import { AppError } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

const alertId = z.strictObject({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });
const channelId = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'must be an id') });

/** A comma-separated list of allowed words in a query string (status=open,acknowledged). */
const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length * 2))
    .optional();

const summarySchema = z.object({
  id: z.number().int(),
  severity: z.enum(SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  source: z.enum(ALERT_SOURCES),
  title: z.string(),
  summary: z.string(),
  ip: z.string().nullable(),
  user: z.string().nullable(),
  count: z.number().int().describe('Occurrences: repeats of an unresolved alert add to it.'),
  firstSeen: z.string(),
  lastSeen: z.string(),
  url: z.string().nullable(),
});

const alertSchema = summarySchema.extend({
  dedupKey: z.string(),
  assignee: z.object({ id: z.string(), username: z.string() }).nullable(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  updatedAt: z.string(),
  details: z.record(z.string(), z.unknown()),
});

const timelineSchema = z.object({
  id: z.number().int(),
  ts: z.string(),
  kind: z.string().describe('created, escalated, acknowledged, resolved, reopened, assigned, note, action'),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});

const deliverySchema = z.object({
  id: z.string(),
  channelId: z.string(),
  channelName: z.string().nullable(),
  kind: z.enum(['alert', 'resolved', 'digest', 'test']),
  status: z.enum(['held', 'pending', 'delivered', 'failed', 'expired']),
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

const note = z.string().trim().min(1).max(2000);
const noteBody = z.strictObject({ note: note.optional() }).default({});

const rateLimit = z.strictObject({
  max: z.number().int().min(1).max(1000).describe('Messages (alerts and resolutions) per window; past it, alerts are gathered into one digest.'),
  windowSeconds: z.number().int().min(1).max(86_400),
});

const channelFields = {
  name: z.string().trim().min(1).max(64),
  enabled: z.boolean(),
  minSeverity: z.enum(SEVERITIES).describe('The lowest severity sent to this channel.'),
  sources: z.array(z.enum(ALERT_SOURCES)).min(1).max(ALERT_SOURCES.length).nullable().describe('Alert sources sent to this channel; null for all.'),
  sendOnResolve: z.boolean().describe('Also send a message when an alert is resolved.'),
  rateLimit,
  allowPrivateNetwork: z.boolean().describe('Let a webhook reach loopback and private addresses (administrators only).'),
};

const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()).describe('The config with its secrets hidden.'),
  minSeverity: z.enum(SEVERITIES),
  sources: z.array(z.enum(ALERT_SOURCES)).nullable(),
  sendOnResolve: z.boolean(),
  rateLimit: z.object({ max: z.number().int(), windowSeconds: z.number().int() }),
  allowPrivateNetwork: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastDeliveredAt: z.string().nullable(),
  lastFailedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

/** Live streams open at once: in all, and per actor. */
const STREAMS_MAX = 200;
const STREAMS_PER_ACTOR = 5;
/** A stream is re-authorised this often and ends after STREAM_MAX_MS (the browser reconnects by itself). */
const STREAM_RECHECK_MS = 15_000;
const STREAM_MAX_MS = 5 * 60_000;
const STREAM_PING_MS = 20_000;

export const alertsRoutes = (s: Services): AnyRoute[] => {
  const streams = new Map<string, number>();
  let streamCount = 0;

  /** Whether the request that opened a stream would still be allowed now: session alive, account enabled, scope held. */
  async function stillAllowed(ctx: AppContext): Promise<boolean> {
    const actor = ctx.state.actor;
    if (!actor) return false;
    if (ctx.state.authMethod === 'bearer') {
      const token = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1];
      const again = token ? await s.oauth.resolveBearer(token, { ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent }) : null;
      return again !== null && can(again, 'alerts.view');
    }
    const key = ctx.state.sessionKey;
    const found = key ? await s.sessions.lookup(key) : null;
    if (!found || 'expired' in found) return false;
    const principal = await s.users.principal(actor.id);
    return principal !== null && !principal.row.disabled && can(principal.actor, 'alerts.view');
  }

  return [
    defineRoute({
      method: 'GET',
      path: '/alerts',
      summary: 'Alerts, filtered and sorted; with the number of alerts in each status.',
      tag: 'alerts',
      access: { scope: 'alerts.view' },
      query: z.strictObject({
        status: listOf(ALERT_STATUSES).describe('Comma-separated: open, acknowledged, resolved.'),
        severity: listOf(SEVERITIES).describe('Comma-separated severities.'),
        source: listOf(ALERT_SOURCES).describe('Comma-separated sources.'),
        ip: z.string().max(64).optional(),
        user: z.string().max(254).optional(),
        assignee: z.string().max(64).optional().describe('A user id.'),
        q: z.string().trim().max(200).optional().describe('Text in the title or summary.'),
        sort: z.enum(['last_seen', 'first_seen', 'severity', 'count']).default('last_seen'),
        order: z.enum(['asc', 'desc']).default('desc'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).max(100_000).default(0),
      }),
      responses: {
        200: {
          description: 'Alerts',
          schema: z.object({ items: z.array(summarySchema), total: z.number().int(), counts: z.object({ open: z.number().int(), acknowledged: z.number().int(), resolved: z.number().int() }) }),
        },
      },
      handler: async (ctx, { query }) => {
        ctx.body = await s.alerts.list(query);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/alerts/stream',
      summary: 'Live changes to alerts as server-sent events (event "alert": {type: created|updated, alert}). Ends after 5 minutes; EventSource reconnects.',
      tag: 'alerts',
      access: { scope: 'alerts.view' },
      responses: { 200: { description: 'text/event-stream' }, 429: { description: 'too_many_streams' } },
      handler: (ctx) => {
        const who = `${ctx.state.actor!.type}:${ctx.state.actor!.id}`;
        if (streamCount >= STREAMS_MAX || (streams.get(who) ?? 0) >= STREAMS_PER_ACTOR) {
          throw new AppError(429, 'too_many_streams', 'Too many live alert streams are open; close another tab first.', { headers: { 'Retry-After': '30' } });
        }
        streamCount += 1;
        streams.set(who, (streams.get(who) ?? 0) + 1);
        const out = new PassThrough();
        const send = (text: string) => {
          if (!out.writableEnded) out.write(text);
        };
        const unsubscribe = s.alerts.subscribe((change: AlertChange) => send(`event: alert\ndata: ${JSON.stringify(change)}\n\n`));
        const ping = setInterval(() => send(': ping\n\n'), STREAM_PING_MS);
        const recheck = setInterval(() => {
          stillAllowed(ctx)
            .then((ok) => {
              if (!ok) close();
            })
            .catch(() => close());
        }, STREAM_RECHECK_MS);
        const limit = setTimeout(() => close(), STREAM_MAX_MS);
        let closed = false;
        function close(): void {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(ping);
          clearInterval(recheck);
          clearTimeout(limit);
          streamCount -= 1;
          const left = (streams.get(who) ?? 1) - 1;
          if (left <= 0) streams.delete(who);
          else streams.set(who, left);
          out.end();
        }
        ctx.req.on('close', close);
        ctx.req.socket.setTimeout(0);
        ctx.req.socket.setNoDelay(true);
        ctx.status = 200;
        ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
        ctx.set('Cache-Control', 'no-store, no-transform');
        ctx.set('X-Accel-Buffering', 'no');
        ctx.body = out;
        send(`retry: 3000\nevent: ready\ndata: {}\n\n`);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/alerts/bulk',
      summary: 'Acknowledge or resolve many alerts at once (each audited and on its own timeline).',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      body: z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(500), action: z.enum(['acknowledge', 'resolve']), note: note.optional() }),
      responses: { 200: { description: 'Done', schema: z.object({ changed: z.array(z.number().int()), missing: z.array(z.number().int()) }) } },
      handler: async (ctx, { body }) => {
        ctx.body = await s.alerts.bulk(ctx.state.caller, [...new Set(body.ids)], body.action, body.note ?? null);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/alerts/channels',
      summary: 'Notification channels (secrets hidden), and the channel types this panel can send to.',
      tag: 'alerts',
      access: { scope: 'alerts.view' },
      responses: { 200: { description: 'Channels', schema: z.object({ items: z.array(channelSchema), types: z.array(z.object({ type: z.string(), label: z.string() })) }) } },
      handler: async (ctx) => {
        ctx.body = { items: await s.channels.list(), types: [...providerTypes] };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/alerts/channels',
      summary: 'Add a notification channel: email {host, port, secure, starttls, from, to, auth?}, webhook {url, secret}, discord {url}, slack {url}.',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      body: z.strictObject({
        type: z.string().min(1).max(32),
        config: z.record(z.string(), z.unknown()),
        ...channelFields,
        enabled: channelFields.enabled.default(true),
        minSeverity: channelFields.minSeverity.default('medium'),
        sources: channelFields.sources.default(null),
        sendOnResolve: channelFields.sendOnResolve.default(false),
        rateLimit: rateLimit.default(DEFAULT_RATE_LIMIT),
        allowPrivateNetwork: channelFields.allowPrivateNetwork.default(false),
      }),
      responses: {
        201: { description: 'Created', schema: z.object({ channel: channelSchema }) },
        400: { description: 'invalid_config or unknown_channel_type' },
        403: { description: 'allowPrivateNetwork needs the admin scope' },
        409: { description: 'name_taken' },
      },
      handler: async (ctx, { body }) => {
        ctx.status = 201;
        ctx.body = { channel: await s.channels.create(ctx.state.caller, body) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/alerts/channels/:id',
      summary: 'One notification channel (secrets hidden).',
      tag: 'alerts',
      access: { scope: 'alerts.view' },
      params: channelId,
      responses: { 200: { description: 'Channel', schema: z.object({ channel: channelSchema }) }, 404: { description: 'No such channel' } },
      handler: async (ctx, { params }) => {
        ctx.body = { channel: await s.channels.get(params.id) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/alerts/channels/:id',
      summary: 'Change a channel. A new config replaces the old one whole (secrets included).',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      params: channelId,
      body: z.strictObject({ config: z.record(z.string(), z.unknown()).optional(), ...Object.fromEntries(Object.entries(channelFields).map(([k, v]) => [k, v.optional()])) }) as z.ZodType<
        Partial<{ config: Record<string, unknown>; name: string; enabled: boolean; minSeverity: (typeof SEVERITIES)[number]; sources: Array<(typeof ALERT_SOURCES)[number]> | null; sendOnResolve: boolean; rateLimit: { max: number; windowSeconds: number }; allowPrivateNetwork: boolean }>
      >,
      responses: { 200: { description: 'Changed', schema: z.object({ channel: channelSchema }) }, 400: { description: 'invalid_config' }, 404: { description: 'No such channel' }, 409: { description: 'name_taken' } },
      handler: async (ctx, { params, body }) => {
        ctx.body = { channel: await s.channels.update(ctx.state.caller, params.id, body) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/alerts/channels/:id',
      summary: 'Remove a channel (its unsent notifications go with it).',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      params: channelId,
      responses: { 204: { description: 'Removed' }, 404: { description: 'No such channel' } },
      handler: async (ctx, { params }) => {
        await s.channels.remove(ctx.state.caller, params.id);
        ctx.status = 204;
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/alerts/channels/:id/test',
      summary: 'Send a test message through the channel now; says whether the receiver took it and, if not, why.',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      params: channelId,
      responses: { 200: { description: 'Result', schema: z.object({ delivered: z.boolean(), error: z.string().nullable() }) }, 404: { description: 'No such channel' } },
      handler: async (ctx, { params }) => {
        ctx.body = await s.channels.test(ctx.state.caller, params.id);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/alerts/:id',
      summary: 'One alert: timeline, evidence (detections, audit events, log lines), related activity (same address or user) and notification deliveries.',
      tag: 'alerts',
      access: { scope: 'alerts.view' },
      params: alertId,
      responses: {
        200: {
          description: 'Alert',
          schema: z.object({
            alert: alertSchema,
            timeline: z.array(timelineSchema),
            evidence: z.array(z.record(z.string(), z.unknown())),
            auditEvents: z.array(z.record(z.string(), z.unknown())),
            detections: z.array(z.record(z.string(), z.unknown())),
            related: z.object({ auditEvents: z.array(z.record(z.string(), z.unknown())), alerts: z.array(summarySchema) }),
            deliveries: z.array(deliverySchema),
          }),
        },
        404: { description: 'No such alert' },
      },
      handler: async (ctx, { params }) => {
        const detail = await s.alerts.detail(params.id);
        ctx.body = { ...detail, auditEvents: detail.auditEvents.map(publicAuditEvent), related: { ...detail.related, auditEvents: detail.related.auditEvents.map(publicAuditEvent) } };
      },
    }),
    ...(
      [
        ['ack', 'Acknowledge an alert: someone is on it (repeats still count).', (ctx: AppContext, id: number, n: string | null) => s.alerts.acknowledge(ctx.state.caller, id, n)],
        ['resolve', 'Resolve an alert (a repeat afterwards raises a new one); channels that ask for it are told.', (ctx: AppContext, id: number, n: string | null) => s.alerts.resolve(ctx.state.caller, id, n)],
        ['reopen', 'Reopen a resolved alert.', (ctx: AppContext, id: number, n: string | null) => s.alerts.reopen(ctx.state.caller, id, n)],
      ] as const
    ).map(([verb, summary, run]) =>
      defineRoute({
        method: 'POST',
        path: `/alerts/:id/${verb}`,
        summary,
        tag: 'alerts',
        access: { scope: 'alerts.manage' },
        params: alertId,
        body: noteBody,
        responses: { 200: { description: 'The alert', schema: z.object({ alert: alertSchema }) }, 404: { description: 'No such alert' }, 409: { description: 'newer_alert_open (reopen)' } },
        handler: async (ctx, { params, body }) => {
          ctx.body = { alert: await run(ctx, params.id, body.note ?? null) };
        },
      }),
    ),
    defineRoute({
      method: 'POST',
      path: '/alerts/:id/notes',
      summary: 'Add a note to an alert\'s timeline.',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      params: alertId,
      body: z.strictObject({ text: note }),
      responses: { 201: { description: 'The timeline', schema: z.object({ timeline: z.array(timelineSchema) }) }, 404: { description: 'No such alert' } },
      handler: async (ctx, { params, body }) => {
        ctx.status = 201;
        ctx.body = { timeline: await s.alerts.note(ctx.state.caller, params.id, body.text) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/alerts/:id/assign',
      summary: 'Assign an alert to a user (null: unassign).',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      params: alertId,
      body: z.strictObject({ userId: z.string().min(1).max(64).nullable() }),
      responses: { 200: { description: 'The alert', schema: z.object({ alert: alertSchema }) }, 404: { description: 'No such alert or user' } },
      handler: async (ctx, { params, body }) => {
        ctx.body = { alert: await s.alerts.assign(ctx.state.caller, params.id, body.userId) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/alerts/:id/respond',
      summary: 'One-click response: ban_ip (needs monitor.edit), disable_user or revoke_user_access (sessions and API tokens; need users.edit). Audited and on the timeline.',
      tag: 'alerts',
      access: { scope: 'alerts.manage' },
      params: alertId,
      body: z.strictObject({
        action: z.enum(RESPONSES),
        durationMinutes: z.number().int().min(1).max(525_600).nullable().default(60).describe('ban_ip: how long; null until lifted.'),
      }),
      responses: {
        200: { description: 'Done', schema: z.object({ action: z.enum(RESPONSES), text: z.string(), details: z.record(z.string(), z.unknown()) }) },
        403: { description: 'The response needs another scope' },
        404: { description: 'No such alert' },
        409: { description: 'no_ip, own_address, allowlisted, already_banned, no_user, unknown_user, already_disabled, cannot_disable_self, last_admin' },
      },
      handler: async (ctx, { params, body }) => {
        ctx.body = await s.responder.respond(ctx.state.caller, params.id, body.action, { durationMinutes: body.durationMinutes });
      },
    }),
  ];
};
