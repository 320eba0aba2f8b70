// User administration: list, create, edit, disable, delete, roles and sessions.
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route.ts';
import { cursorQuery, decodeCursor, email, encodeCursor, idParam, limitQuery, page, password, roleAssignment, userSchema, username } from '../schemas.ts';
import type { Services } from '../services.ts';
import { presentSessions, sessionItem } from './me.routes.ts';

export const usersRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/users',
    summary: 'List users, by username.',
    tag: 'users',
    access: { scope: 'users.view' },
    query: z.strictObject({ limit: limitQuery, cursor: cursorQuery }),
    responses: { 200: { description: 'A page of users', schema: page(userSchema) } },
    handler: async (ctx, { query }) => {
      const items = await s.users.list({ limit: query.limit + 1, after: decodeCursor<string>(query.cursor, 'string') });
      const more = items.length > query.limit;
      const pageItems = items.slice(0, query.limit);
      ctx.body = { items: pageItems, nextCursor: more ? encodeCursor(pageItems[pageItems.length - 1]!.username) : null };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/users',
    summary: 'Create a user, optionally with roles (only roles whose scopes you hold).',
    tag: 'users',
    access: { scope: 'users.edit' },
    body: z.strictObject({ username, email, password, roles: z.array(roleAssignment).max(100).default([]) }),
    responses: { 201: { description: 'Created', schema: z.object({ user: userSchema }) }, 409: { description: 'user_exists' } },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { user: await s.users.create(ctx.state.caller, body) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/users/:id',
    summary: 'One user.',
    tag: 'users',
    access: { scope: 'users.view' },
    params: idParam,
    responses: { 200: { description: 'User', schema: z.object({ user: userSchema }) }, 404: { description: 'not_found' } },
    handler: async (ctx, { params }) => {
      ctx.body = { user: await s.users.get(params.id) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/users/:id',
    summary: 'Change a user\'s e-mail or disable/enable the account (disabling ends all its sessions).',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: idParam,
    body: z.strictObject({ email: email.optional(), disabled: z.boolean().optional() }),
    responses: { 200: { description: 'Updated', schema: z.object({ user: userSchema }) } },
    handler: async (ctx, { params, body }) => {
      ctx.body = { user: await s.users.update(ctx.state.caller, params.id, body) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/:id',
    summary: 'Delete a user and end all its sessions.',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: idParam,
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      await s.users.remove(ctx.state.caller, params.id);
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/users/:id/roles',
    summary: 'Replace a user\'s role assignments (global or per server).',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: idParam,
    body: z.strictObject({ roles: z.array(roleAssignment).max(100) }),
    responses: { 200: { description: 'Updated', schema: z.object({ user: userSchema }) }, 403: { description: 'scope_not_held' } },
    handler: async (ctx, { params, body }) => {
      ctx.body = { user: await s.users.setRoles(ctx.state.caller, params.id, body.roles) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/users/:id/sessions',
    summary: 'A user\'s active sessions.',
    tag: 'users',
    access: { scope: 'users.view' },
    params: idParam,
    responses: { 200: { description: 'Sessions', schema: z.object({ items: z.array(sessionItem) }) } },
    handler: async (ctx, { params }) => {
      await s.users.row(params.id);
      ctx.body = { items: await presentSessions(s, ctx, params.id) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/users/:id/sessions/revoke',
    summary: 'End every session of a user.',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: idParam,
    responses: { 204: { description: 'Ended' } },
    handler: async (ctx, { params }) => {
      await s.users.signOutEverywhere(ctx.state.caller, params.id);
      if (params.id === ctx.state.actor?.id) ctx.session = null;
      ctx.status = 204;
    },
  }),
];
