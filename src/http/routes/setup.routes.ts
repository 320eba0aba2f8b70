// First-admin setup through the one-time link printed on the console.
import { z } from 'zod';
import { forbidden } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { email, password, userSchema, username } from '../schemas.ts';
import type { Services } from '../services.ts';
import { completeSignIn } from './session.helpers.ts';

export const setupRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/setup/status',
    summary: 'Whether the first administrator still has to be created.',
    tag: 'setup',
    access: { public: true },
    responses: { 200: { description: 'Status', schema: z.object({ setupRequired: z.boolean() }) } },
    handler: async (ctx) => {
      ctx.body = { setupRequired: await s.setup.required() };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/setup',
    summary: 'Create the first administrator with the one-time setup token, and sign in.',
    tag: 'setup',
    access: { public: true },
    csrf: false,
    body: z.strictObject({ token: z.string().min(1).max(200), username, email, password }),
    responses: {
      201: { description: 'Administrator created and signed in (the 2FA policy may require a 2FA setup first)', schema: z.object({ user: userSchema, csrfToken: z.string(), twoFactorSetupRequired: z.boolean() }) },
      403: { description: 'setup_token_invalid, or ip_not_allowed outside the admin IP allowlist' },
    },
    handler: async (ctx, { body }) => {
      // SECURITY: the first administrator is created only from where administrators may work.
      if (!(await s.allowlist.isAllowed(ctx.state.ip))) {
        await s.audit.record({ type: 'setup.failure', actor: { type: 'anonymous', id: null, name: null }, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent, outcome: 'denied', details: { reason: 'ip_not_allowed' } });
        throw forbidden('ip_not_allowed', 'The first administrator must be created from an address in the admin IP allowlist.');
      }
      const user = await s.setup.complete(body.token, body, { ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent });
      const grants = await s.users.grantsOf(user.id);
      ctx.status = 201;
      ctx.body = await completeSignIn(ctx, s, user, grants, 'setup');
    },
  }),
];
