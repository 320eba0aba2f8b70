// Login, logout and the current session.
import { z } from 'zod';
import { unauthenticated } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { userSchema } from '../schemas.ts';
import type { Services } from '../services.ts';
import { currentCsrf, startSession } from './session.helpers.ts';

const sessionResponse = z.object({ user: userSchema, csrfToken: z.string(), idleExpiresAt: z.string(), absoluteExpiresAt: z.string() });

export const authRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'POST',
    path: '/auth/login',
    summary: 'Sign in with username (or e-mail) and password.',
    tag: 'auth',
    access: { public: true },
    csrf: false,
    body: z.strictObject({
      username: z.string().min(1).max(254).describe('Username or e-mail address.'),
      // SECURITY: capped so a megabyte "password" cannot be fed to argon2.
      password: z.string().min(1).max(1024),
    }),
    responses: {
      200: { description: 'Signed in; the session cookie is set', schema: z.object({ user: userSchema, csrfToken: z.string() }) },
      401: { description: 'invalid_credentials' },
      403: { description: 'ip_not_allowed' },
      429: { description: 'rate_limited, with Retry-After' },
    },
    handler: async (ctx, { body }) => {
      const { user, grants } = await s.login.login({ login: body.username, password: body.password, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent });
      const csrfToken = await startSession(ctx, s, user, grants);
      await s.audit.record({
        type: 'auth.login.success',
        actor: { type: 'user', id: user.id, name: user.username },
        ip: ctx.state.ip,
        userAgent: ctx.state.caller.userAgent,
        target: { type: 'user', id: user.id, name: user.username },
        outcome: 'success',
        details: { method: 'password', sessionId: ctx.state.session?.id ?? null },
      });
      ctx.body = { user: await s.users.get(user.id), csrfToken };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/auth/logout',
    summary: 'End the current session on the server and clear the cookie.',
    tag: 'auth',
    access: { authenticated: true },
    responses: { 204: { description: 'Signed out' } },
    handler: async (ctx) => {
      const sessionId = ctx.state.session?.id ?? null;
      ctx.session = null;
      await s.audit.record({ type: 'auth.logout', actor: { type: 'user', id: ctx.state.actor!.id, name: ctx.state.actor!.name }, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent, target: { type: 'session', id: sessionId, name: null }, outcome: 'success' });
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/auth/session',
    summary: 'The signed-in user, the CSRF token and when the session expires.',
    tag: 'auth',
    access: { public: true },
    responses: { 200: { description: 'Current session', schema: sessionResponse }, 401: { description: 'Not signed in' } },
    handler: async (ctx) => {
      const info = ctx.state.session;
      const csrfToken = currentCsrf(ctx, s);
      if (!ctx.state.actor || ctx.state.authMethod !== 'session' || !info || !csrfToken) throw unauthenticated('Not signed in.');
      ctx.body = {
        user: await s.users.get(ctx.state.actor.id),
        csrfToken,
        idleExpiresAt: new Date(Math.min(info.idleExpiresAt, info.expiresAt)).toISOString(),
        absoluteExpiresAt: new Date(info.expiresAt).toISOString(),
      };
    },
  }),
];
