// Gatus's alerts to the panel: outside /api/v1 (its bearer token is not an OAuth2 token and no session comes with it),
// authenticated by the token only Gatus is given.
import { z } from 'zod';
import { bearerMatches, endpointUptime, gatusAlertSchema, gatusKey, PANEL_ENDPOINTS, serverEndpointName } from '../../gatus/index.ts';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

export const gatusRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'POST',
    path: '/gatus/alerts',
    summary:
      'Where Gatus\'s custom alerting provider posts (Authorization: Bearer the token given to Gatus as AETHER_GATUS_TOKEN): an endpoint Gatus reports down is an alert in the inbox, once Gatus\'s own state says so too; one reported up again resolves it.',
    tag: 'gatus',
    access: { public: true },
    csrf: false,
    body: gatusAlertSchema,
    responses: {
      200: { description: 'Taken', schema: z.object({ outcome: z.enum(['raised', 'resolved', 'ignored']), state: z.enum(['up', 'down', 'unknown']) }) },
      401: { description: 'invalid_token' },
    },
    handler: async (ctx, { body }) => {
      // SECURITY: the token is the only way in; a wrong one is audited like any refused credential.
      if (!bearerMatches(ctx.get('Authorization'), s.gatus.alertToken)) {
        await s.audit.record({ type: 'gatus.alert.denied', actor: { type: 'anonymous', id: null, name: null }, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent, target: null, outcome: 'denied', details: { reason: 'invalid_token' } });
        throw new AppError(401, 'invalid_token', 'This endpoint takes the token given to Gatus.');
      }
      ctx.body = await s.gatus.receiver.receive(body);
    },
  }),
];

const uptimeItem = z.object({ key: z.string(), state: z.enum(['up', 'down', 'unknown']), uptime24h: z.number().nullable(), uptime7d: z.number().nullable() });

/** Uptime as Gatus measured it (under /api/v1): the panel's own endpoints, and a server's public TCP ports. */
export const uptimeRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/uptime',
    summary: 'The panel\'s own endpoints as the uptime page checks them (web panel, SFTP, HTTPS certificate): up or down now, and the share of checks that passed over 24 hours and 7 days (0 to 1).',
    tag: 'gatus',
    access: { scope: 'nodes.view' },
    responses: {
      200: {
        description: 'Uptime',
        schema: z.object({
          available: z.boolean().describe('false: the panel does not know where Gatus is (gatus.apiUrl).'),
          statusPageUrl: z.string().nullable(),
          items: z.array(uptimeItem.extend({ name: z.string() })),
        }),
      },
    },
    handler: async (ctx) => {
      const { apiUrl, statusPageUrl } = s.gatus;
      if (!apiUrl) {
        ctx.body = { available: false, statusPageUrl, items: [] };
        return;
      }
      const endpoints = [PANEL_ENDPOINTS.web, ...(s.gatus.sftpEnabled ? [PANEL_ENDPOINTS.sftp] : []), ...(s.gatus.httpsUrl ? [PANEL_ENDPOINTS.https] : [])];
      const items = await Promise.all(endpoints.map(async (e) => ({ name: e.name, ...(await endpointUptime(apiUrl, gatusKey(e.group, e.name))) })));
      ctx.body = { available: true, statusPageUrl, items };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id/uptime',
    summary: 'The server\'s public TCP ports as the uptime page checks them: up or down now, and the share of checks that passed over 24 hours and 7 days (0 to 1).',
    tag: 'servers',
    access: { scope: 'server.view', serverParam: 'id' },
    params: z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/) }),
    responses: {
      200: {
        description: 'Uptime',
        schema: z.object({
          available: z.boolean().describe('false: the panel does not know where Gatus is (gatus.apiUrl).'),
          items: z.array(uptimeItem.extend({ port: z.string() })),
        }),
      },
      404: { description: 'No such server' },
    },
    handler: async (ctx, { params }) => {
      const server = await s.servers.get(params.id);
      const apiUrl = s.gatus.apiUrl;
      if (!apiUrl) {
        ctx.body = { available: false, items: [] };
        return;
      }
      const ports = server.ports.filter((p) => p.protocol === 'tcp');
      const items = await Promise.all(
        ports.map(async (p) => {
          const { group, name } = serverEndpointName(server.name, p.name, server.shortId);
          return { port: p.name, ...(await endpointUptime(apiUrl, gatusKey(group, name))) };
        }),
      );
      ctx.body = { available: true, items };
    },
  }),
];
