// Servers, their templates and the Docker nodes they run on: list, create, power actions, console commands, delete.
import { z } from 'zod';
import { can, type Actor } from '../../auth/permissions.ts';
import { PER_SERVER_SCOPES } from '../../auth/scopes.ts';
import { SERVER_SERIES } from '../../resources/index.ts';
import { SUSPEND_SCOPE, type PublicServer } from '../../servers/index.ts';
import { isIp } from '../../shared/cidr.ts';
import { hostKeyFingerprint } from '../../shared/ssh-key.ts';
import { badRequest, forbidden } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { historyQuery, historyWindow, iso } from './history-range.ts';
import type { Services } from '../services.ts';

const serverId = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'must be an id') });

const portSchema = z.object({ name: z.string(), container: z.number().int(), protocol: z.enum(['tcp', 'udp']), hostIp: z.string(), hostPort: z.number().int() });
const serverSchema = z.object({
  id: z.string(),
  shortId: z.string().describe('8 characters; container and network names, SFTP user names.'),
  name: z.string(),
  template: z.string(),
  node: z.string(),
  ownerId: z.string().nullable(),
  state: z.enum(['stopped', 'starting', 'running', 'stopping', 'crashed', 'unknown']),
  limits: z.object({ memoryMb: z.number(), cpu: z.number(), pids: z.number(), diskMb: z.number() }),
  ports: z.array(portSchema),
  env: z.record(z.string(), z.string()),
  restartPolicy: z.enum(['never', 'on-crash']),
  crashCount: z.number().int(),
  lastExitCode: z.number().int().nullable(),
  lastStartedAt: z.string().nullable(),
  lastExitedAt: z.string().nullable(),
  createdAt: z.string(),
  suspended: z
    .object({ at: z.string(), by: z.string().nullable(), reason: z.string() })
    .nullable()
    .describe('Set while suspended: the server is stopped, cannot be started, and only holders of servers.suspend reach its files, console, SFTP and power.'),
  myScopes: z.array(z.string()).describe('The per-server scopes the caller holds on this server (for showing only what they may do); only server.view while it is suspended.'),
});

const seriesValues = z.array(z.number().nullable());
const serverSeries = z.object(Object.fromEntries(SERVER_SERIES.map((name) => [name, seriesValues])) as Record<(typeof SERVER_SERIES)[number], typeof seriesValues>);
const serverHistorySchema = z.object({
  sampling: z.boolean().describe('Whether resource monitoring is on (resources.enabled): off, no history is taken.'),
  resolution: z.enum(['10s', '5m']),
  stepSeconds: z.number().int(),
  from: z.string(),
  to: z.string(),
  ts: z.array(z.number()).describe('Milliseconds since the epoch, one per point; each series has a value (or null: not running, no reading) per point.'),
  series: serverSeries.describe('Values (10s) or averages per 5 minutes (5m). cpuPct: 100 is one core. Rates in bytes per second.'),
  max: serverSeries.nullable().describe('5m: the maximum of each 5 minutes; 10s: null.'),
});

/** A server as the caller sees it: with the per-server scopes they hold on it (only server.view while it is suspended). */
const forActor = (actor: Actor | null, server: PublicServer) => {
  const closed = server.suspended !== null && !can(actor, SUSPEND_SCOPE);
  return { ...server, myScopes: [...PER_SERVER_SCOPES].filter((scope) => can(actor, scope, server.id) && (!closed || scope === 'server.view')).sort() };
};

const nodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['socket', 'tcp', 'ssh']),
  connection: z.record(z.string(), z.unknown()),
  publicIp: z.string(),
  portRange: z.object({ min: z.number().int(), max: z.number().int() }),
  health: z.object({ reachable: z.boolean(), checkedAt: z.string(), version: z.string().nullable(), error: z.string().nullable() }).nullable(),
  capacity: z
    .object({
      memoryMb: z.object({ total: z.number(), allocated: z.number(), free: z.number() }),
      cpus: z.object({ total: z.number(), allocated: z.number(), free: z.number() }),
      servers: z.number().int(),
    })
    .nullable()
    .describe('The engine\'s memory and CPUs (docker info) against the limits of the servers placed on it; free below 0 when servers named onto it promise more. null until its engine has answered.'),
});

const pem = z.string().max(20_000).regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'must be a PEM certificate');
const pemKey = z.string().max(20_000).regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/, 'must be a PEM private key');

/** The scope each power action needs on the server. */
const POWER_SCOPES = { start: ['server.start'], stop: ['server.stop'], kill: ['server.stop'], restart: ['server.start', 'server.stop'] } as const;

export const serversRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/servers',
    summary: 'The servers the caller holds a scope on (all of them with a global server scope).',
    tag: 'servers',
    access: { authenticated: true },
    responses: { 200: { description: 'Servers', schema: z.object({ items: z.array(serverSchema) }) } },
    handler: async (ctx) => {
      ctx.body = { items: (await s.servers.list(ctx.state.caller)).map((sv) => forActor(ctx.state.actor, sv)) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers',
    summary:
      'Create a server from a template on a node (named, or the reachable one with the most free memory that fits its limits and has its ports): its own container, network and data directory (not started). Its owner gets the server-owner role on it.',
    tag: 'servers',
    access: { scope: 'server.create' },
    body: z.strictObject({
      name: z.string().trim().min(1).max(64),
      template: z.string().min(1).max(64),
      node: z
        .string()
        .min(1)
        .max(64)
        .default('auto')
        .describe('A node\'s id, or "auto" (the default): the reachable node with the most free memory that fits the server\'s limits and has its ports; the choice and why are in the server.created audit event.'),
      ownerId: z.string().min(1).max(64).nullable().optional().describe('Default: the caller (a user).'),
      limits: z
        .strictObject({ memoryMb: z.number().int().min(16).optional(), cpu: z.number().min(0.01).max(256).optional(), pids: z.number().int().min(16).max(32_768).optional(), diskMb: z.number().int().min(16).optional() })
        .optional(),
      env: z.record(z.string().max(64), z.string().max(4096)).optional(),
      ports: z.record(z.string().max(64), z.number().int().min(1).max(65_535)).optional().describe('Host port per template port name; default: the lowest free in the node\'s range.'),
      restartPolicy: z.enum(['never', 'on-crash']).default('never'),
    }),
    responses: {
      201: { description: 'Created', schema: z.object({ server: serverSchema }) },
      400: { description: 'invalid_env, unknown_port, port_out_of_range, limit_too_high' },
      404: { description: 'No such template, node or owner' },
      409: { description: 'port_in_use, no_free_port, image_unavailable; no_capacity (automatic placement: no reachable node fits, each node\'s reason in the message and details.nodes)' },
      503: { description: 'docker_unreachable (the named node\'s engine, or with "auto" every node\'s, does not answer)' },
    },
    handler: async (ctx, { body }) => {
      const actor = ctx.state.actor!;
      const ownerId = body.ownerId === undefined ? (actor.type === 'user' ? actor.id : null) : body.ownerId;
      if (ownerId) await s.users.row(ownerId);
      const server = await s.servers.create(ctx.state.caller, {
        name: body.name,
        template: body.template,
        node: body.node === 'auto' ? null : body.node,
        ownerId,
        ...(body.limits ? { limits: Object.fromEntries(Object.entries(body.limits).filter(([, v]) => v !== undefined)) } : {}),
        ...(body.env ? { env: body.env } : {}),
        ...(body.ports ? { ports: body.ports } : {}),
        restartPolicy: body.restartPolicy,
      });
      if (ownerId) await s.users.grantOnServer(ctx.state.caller, ownerId, (await s.roles.getByName('server-owner')).id, server.id);
      ctx.status = 201;
      // The owner's new role shows in their grants from their next request on.
      const fresh = ownerId === actor.id ? await s.users.principal(actor.id) : null;
      ctx.body = { server: forActor(fresh?.actor ?? actor, server) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id',
    summary: 'One server.',
    tag: 'servers',
    access: { scope: 'server.view', serverParam: 'id' },
    params: serverId,
    responses: { 200: { description: 'Server', schema: z.object({ server: serverSchema }) }, 404: { description: 'No such server' } },
    handler: async (ctx, { params }) => {
      ctx.body = { server: forActor(ctx.state.actor, await s.servers.get(params.id)) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/servers/:id',
    summary: 'Change a server: name, limits (applied at once, also to a running server), restart policy, environment (used from the next reinstall).',
    tag: 'servers',
    access: { scope: 'server.edit', serverParam: 'id' },
    params: serverId,
    body: z.strictObject({
      name: z.string().trim().min(1).max(64).optional(),
      limits: z
        .strictObject({ memoryMb: z.number().int().min(16).optional(), cpu: z.number().min(0.01).max(256).optional(), pids: z.number().int().min(16).max(32_768).optional(), diskMb: z.number().int().min(16).optional() })
        .optional(),
      env: z.record(z.string().max(64), z.string().max(4096)).optional(),
      restartPolicy: z.enum(['never', 'on-crash']).optional(),
    }),
    responses: { 200: { description: 'The server', schema: z.object({ server: serverSchema }) }, 400: { description: 'invalid_env, limit_too_high' }, 404: { description: 'No such server' }, 503: { description: 'docker_unreachable' } },
    handler: async (ctx, { params, body }) => {
      const patch = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.limits ? { limits: Object.fromEntries(Object.entries(body.limits).filter(([, v]) => v !== undefined)) } : {}),
        ...(body.env ? { env: body.env } : {}),
        ...(body.restartPolicy ? { restartPolicy: body.restartPolicy } : {}),
      };
      ctx.body = { server: forActor(ctx.state.actor, await s.servers.update(ctx.state.caller, params.id, patch)) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/reinstall',
    summary: 'Replace the server\'s container with a new one from its template and settings; its data directory stays.',
    tag: 'servers',
    access: { scope: 'server.edit', serverParam: 'id' },
    params: serverId,
    responses: { 200: { description: 'The server (stopped)', schema: z.object({ server: serverSchema }) }, 404: { description: 'No such server' }, 409: { description: 'image_unavailable' }, 503: { description: 'docker_unreachable' } },
    handler: async (ctx, { params }) => {
      ctx.body = { server: forActor(ctx.state.actor, await s.servers.reinstall(ctx.state.caller, params.id)) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/power',
    summary: 'start (server.start), stop: the stop command then a kill after the timeout (server.stop), restart (both), kill (server.stop).',
    tag: 'servers',
    access: { scope: 'server.view', serverParam: 'id' },
    params: serverId,
    body: z.strictObject({ action: z.enum(['start', 'stop', 'restart', 'kill']) }),
    responses: { 200: { description: 'The server after the action', schema: z.object({ server: serverSchema }) }, 403: { description: 'The action needs another scope' }, 409: { description: 'already_running' }, 503: { description: 'docker_unreachable' } },
    handler: async (ctx, { params, body }) => {
      for (const scope of POWER_SCOPES[body.action]) {
        if (!can(ctx.state.actor, scope, params.id)) throw forbidden('forbidden', `You need the "${scope}" permission for this.`);
      }
      if (await s.servers.suspendedFor(ctx.state.actor, params.id)) throw forbidden('server_suspended', 'This server is suspended: its power is closed until an administrator unsuspends it.');
      ctx.body = { server: forActor(ctx.state.actor, await s.servers.power(ctx.state.caller, params.id, body.action)) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/console',
    summary: 'Send one command to the server\'s console (its standard input).',
    tag: 'servers',
    access: { scope: 'server.console.send', serverParam: 'id' },
    params: serverId,
    body: z.strictObject({ command: z.string().min(1).max(4096).refine((c) => !/[\r\n\0]/.test(c), 'one line, without line breaks') }),
    responses: { 204: { description: 'Sent' }, 409: { description: 'not_running' }, 503: { description: 'docker_unreachable' } },
    handler: async (ctx, { params, body }) => {
      await s.servers.send(ctx.state.caller, params.id, body.command);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/console/ticket',
    summary: 'A one-time ticket (30 s) to open the console WebSocket /api/v1/servers/:id/console?ticket=… with this session\'s cookie, from this address. Bearer clients open the socket with their token instead.',
    tag: 'servers',
    access: { scope: 'server.console', serverParam: 'id' },
    params: serverId,
    responses: { 201: { description: 'Ticket', schema: z.object({ ticket: z.string(), expiresAt: z.string() }) }, 400: { description: 'session_required' }, 404: { description: 'No such server' } },
    handler: async (ctx, { params }) => {
      await s.servers.get(params.id);
      const actor = ctx.state.actor!;
      if (ctx.state.authMethod !== 'session' || actor.type !== 'user' || !ctx.state.sessionKey) {
        throw badRequest('session_required', 'Tickets are for browser sessions; open the socket with your bearer token instead.');
      }
      const t = await s.consoleTickets.issue({ userId: actor.id, serverId: params.id, ip: ctx.state.ip });
      ctx.status = 201;
      ctx.body = { ticket: t.ticket, expiresAt: new Date(t.expiresAt).toISOString() };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id/stats',
    summary: 'CPU %, memory, network and data-directory use of the server now.',
    tag: 'servers',
    access: { scope: 'server.view', serverParam: 'id' },
    params: serverId,
    responses: {
      200: {
        description: 'Stats',
        schema: z.object({
          stats: z.object({
            ts: z.string(),
            running: z.boolean(),
            cpuPct: z.number(),
            memoryBytes: z.number(),
            memoryLimitBytes: z.number(),
            netRxBytes: z.number(),
            netTxBytes: z.number(),
            diskBytes: z.number(),
            diskLimitBytes: z.number(),
          }),
        }),
      },
      404: { description: 'No such server' },
      503: { description: 'docker_unreachable' },
    },
    handler: async (ctx, { params }) => {
      ctx.body = { stats: await s.servers.stats(params.id) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id/history',
    summary:
      'The server\'s CPU, memory, network and disk use over time, as chart columns: every 10 seconds for up to 24 hours, 5-minute averages and maxima beyond (sampled while it runs, with the host; nothing while resource monitoring is off).',
    tag: 'servers',
    access: { scope: 'server.view', serverParam: 'id' },
    params: serverId,
    query: historyQuery,
    responses: { 200: { description: 'History', schema: serverHistorySchema }, 400: { description: 'validation_failed' }, 404: { description: 'No such server' } },
    handler: async (ctx, { params, query }) => {
      await s.servers.get(params.id);
      const h = await s.resources.serverHistory(params.id, historyWindow(query, s.clock.now()));
      ctx.body = { sampling: s.resources.running(), resolution: h.resolution, stepSeconds: h.stepMs / 1000, from: iso(h.from), to: iso(h.to), ts: h.ts, series: h.series, max: h.max };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/servers/:id',
    summary: 'Delete a server: its container and network, and its data unless keepData=true.',
    tag: 'servers',
    access: { scope: 'server.delete', serverParam: 'id' },
    params: serverId,
    query: z.strictObject({ keepData: z.enum(['true', 'false']).default('false') }),
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such server' }, 503: { description: 'docker_unreachable' } },
    handler: async (ctx, { params, query }) => {
      await s.servers.remove(ctx.state.caller, params.id, { keepData: query.keepData === 'true' });
      await s.users.forgetServer(params.id);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/suspend',
    summary:
      'Suspend a server: it is stopped (its stop command, then a kill after the timeout) and cannot be started; its users keep seeing it (server.view) but lose its files, console, SFTP (open sessions end) and power until it is unsuspended.',
    tag: 'servers',
    access: { scope: SUSPEND_SCOPE },
    params: serverId,
    body: z.strictObject({ reason: z.string().trim().min(1).max(500).describe('Shown to the server\'s users and kept in the audit log.') }),
    responses: { 200: { description: 'Suspended', schema: z.object({ server: serverSchema }) }, 404: { description: 'No such server' }, 409: { description: 'already_suspended' }, 503: { description: 'docker_unreachable' } },
    handler: async (ctx, { params, body }) => {
      ctx.body = { server: forActor(ctx.state.actor, await s.servers.suspend(ctx.state.caller, params.id, body.reason)) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/unsuspend',
    summary: 'Unsuspend a server: its users have their access back; it stays stopped until someone starts it.',
    tag: 'servers',
    access: { scope: SUSPEND_SCOPE },
    params: serverId,
    responses: { 200: { description: 'Unsuspended', schema: z.object({ server: serverSchema }) }, 404: { description: 'No such server' }, 409: { description: 'not_suspended' } },
    handler: async (ctx, { params }) => {
      ctx.body = { server: forActor(ctx.state.actor, await s.servers.unsuspend(ctx.state.caller, params.id)) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/templates',
    summary: 'Server templates: the shipped ones and those added by administrators.',
    tag: 'servers',
    access: { authenticated: true },
    responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await s.templates.list() };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/templates',
    summary: 'Add a template. Only whitelisted options exist: never privileged, host network, host PID/IPC, devices, extra capabilities or other bind mounts.',
    tag: 'servers',
    access: { scope: 'templates.edit' },
    body: z.record(z.string(), z.unknown()),
    responses: { 201: { description: 'Added', schema: z.object({ template: z.record(z.string(), z.unknown()) }) }, 400: { description: 'invalid_template (with the reason)' }, 409: { description: 'template_exists' } },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { template: await s.templates.create(ctx.state.caller, body) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/nodes',
    summary: 'Add a remote Docker Engine: {"kind":"tcp","host","port","ca","cert","key"} (TLS client certificates; never plain TCP) or {"kind":"ssh","host","port","username","privateKey","hostKey"} (the host key pinned). Keys are stored encrypted and never shown again.',
    tag: 'servers',
    access: { scope: 'nodes.edit' },
    body: z.strictObject({
      name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore'),
      connection: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('tcp'), host: z.string().min(1).max(253), port: z.number().int().min(1).max(65_535).default(2376), ca: pem, cert: pem, key: pemKey }),
        z
          .strictObject({
            kind: z.literal('ssh'),
            host: z.string().min(1).max(253),
            port: z.number().int().min(1).max(65_535).default(22),
            username: z.string().min(1).max(64),
            privateKey: pemKey,
            hostKey: z
              .string()
              .max(16_384)
              .transform((v, ctx) => hostKeyFingerprint(v) ?? (ctx.addIssue({ code: 'custom', message: 'must be the host key\'s SHA256 fingerprint (ssh-keygen -lf) or its public key line' }), z.NEVER))
              .describe('The engine host\'s SSH key, pinned: its SHA256 fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) or the key line itself.'),
          })
          .transform(({ hostKey, ...rest }) => ({ ...rest, hostKeyFingerprint: hostKey })),
      ]),
      publicIp: z.string().refine(isIp, 'must be an IP address'),
      portRange: z.strictObject({ min: z.number().int().min(1024).max(65_535), max: z.number().int().min(1024).max(65_535) }).refine((r) => r.min <= r.max, 'min must not be above max'),
    }),
    responses: { 201: { description: 'Added (its health checked at once)', schema: z.object({ node: nodeSchema }) }, 409: { description: 'name_taken' } },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { node: await s.nodes.create(ctx.state.caller, body) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/nodes/:id',
    summary: 'Remove a node that runs no servers (never the local one).',
    tag: 'servers',
    access: { scope: 'nodes.edit' },
    params: serverId,
    responses: { 204: { description: 'Removed' }, 404: { description: 'No such node' }, 409: { description: 'node_in_use, local_node' } },
    handler: async (ctx, { params }) => {
      await s.nodes.remove(ctx.state.caller, params.id);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/nodes',
    summary: 'Docker nodes with their health and free capacity (each engine asked now, a few seconds at most; one that does not answer holds up no other).',
    tag: 'servers',
    access: { scope: 'nodes.view' },
    responses: { 200: { description: 'Nodes', schema: z.object({ items: z.array(nodeSchema) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await s.nodes.checkAll() };
    },
  }),
];
