// Gatus's alerts to the panel: outside /api/v1 (its bearer token is not an OAuth2 token and no session comes with it),
// authenticated by the token only Gatus is given.
import { z } from 'zod';
import { bearerMatches, gatusAlertSchema } from '../../gatus/index.ts';
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
