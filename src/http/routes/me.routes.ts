// My account: profile, password change and my sessions.
import { z } from 'zod';
import { badRequest } from '../../shared/errors.ts';
import type { Principal } from '../../auth/users.service.ts';
import { notFound } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { idParam, password, userSchema } from '../schemas.ts';
import type { Services } from '../services.ts';
import { checkCurrentPassword, sessionUser } from './proof.helpers.ts';
import { rotateSession } from './session.helpers.ts';

export const sessionItem = z.object({
  id: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});

export const presentSessions = async (s: Services, ctx: AppContext, userId: string) =>
  (await s.sessions.listForUser(userId)).map((x) => ({
    id: x.id,
    ip: x.ip,
    userAgent: x.userAgent,
    createdAt: new Date(x.createdAt).toISOString(),
    lastSeenAt: new Date(x.lastSeenAt).toISOString(),
    current: x.id === ctx.state.session?.id,
  }));

function presentMe(ctx: AppContext, principal: Principal | null): void {
  if (!principal) throw notFound('User');
  ctx.body = { user: principal.user };
}

export const meRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/users/me',
    summary: 'The signed-in user.',
    tag: 'account',
    access: { authenticated: true },
    responses: { 200: { description: 'Me', schema: z.object({ user: userSchema }) } },
    handler: (ctx) => {
      const id = ctx.state.actor!.id;
      // Just signed in by this very request, so almost always cached.
      const cached = s.users.cachedPrincipal(id);
      return cached ? presentMe(ctx, cached) : s.users.principal(id).then((principal) => presentMe(ctx, principal));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/users/me/password',
    summary: 'Change my password; every other session of mine is ended and this one gets a new id. Open while a new password is required.',
    tag: 'account',
    access: { authenticated: true, passwordChange: true },
    body: z.strictObject({ currentPassword: password, newPassword: password }),
    responses: { 200: { description: 'Changed', schema: z.object({ csrfToken: z.string() }) }, 400: { description: 'weak_password or invalid_password' } },
    handler: async (ctx, { body }) => {
      const actor = sessionUser(ctx);
      await checkCurrentPassword(ctx, s, actor.id, body.currentPassword, 'user.password_change_failed');
      if (body.newPassword === body.currentPassword) throw badRequest('password_unchanged', 'The new password must differ from the current one.');
      await s.users.setPassword(ctx.state.caller, actor.id, body.newPassword, { keepSessionId: ctx.state.session?.id ?? '' });
      ctx.body = { csrfToken: await rotateSession(ctx, s) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/users/me/sessions',
    summary: 'My active sessions.',
    tag: 'account',
    access: { authenticated: true },
    responses: { 200: { description: 'Sessions', schema: z.object({ items: z.array(sessionItem) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await presentSessions(s, ctx, ctx.state.actor!.id) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/me/sessions/:id',
    summary: 'End one of my sessions.',
    tag: 'account',
    access: { authenticated: true },
    params: idParam,
    responses: { 204: { description: 'Ended' }, 404: { description: 'No such session of mine' } },
    handler: async (ctx, { params }) => {
      const actor = ctx.state.actor!;
      const target = await s.sessions.get(params.id);
      if (!target || target.userId !== actor.id) throw notFound('Session');
      await s.sessions.revoke(params.id);
      if (params.id === ctx.state.session?.id) ctx.session = null;
      await s.audit.record({ type: 'auth.session.revoked', actor: { type: 'user', id: actor.id, name: actor.name }, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent, target: { type: 'session', id: params.id, name: null }, outcome: 'success', details: { sessionIp: target.ip } });
      ctx.status = 204;
    },
  }),
];
