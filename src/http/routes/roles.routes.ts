// Roles and the scope catalog.
import { z } from 'zod';
import { SCOPES } from '../../auth/scopes.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { idParam } from '../schemas.ts';
import type { Services } from '../services.ts';

const roleSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), builtin: z.boolean(), scopes: z.array(z.string()) });
const roleName = z.string().min(2).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may contain letters, digits, spaces, dot, dash and underscore');
const scopeList = z.array(z.string().min(1).max(64)).max(100);

export const rolesRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/scopes',
    summary: 'The scope catalog.',
    tag: 'roles',
    access: { authenticated: true },
    responses: { 200: { description: 'Scopes', schema: z.object({ items: z.array(z.object({ name: z.string(), description: z.string(), perServer: z.boolean() })) }) } },
    handler: (ctx) => {
      ctx.body = { items: SCOPES };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/roles',
    summary: 'All roles with their scopes.',
    tag: 'roles',
    access: { scope: 'roles.view' },
    responses: { 200: { description: 'Roles', schema: z.object({ items: z.array(roleSchema) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await s.roles.list() };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/roles',
    summary: 'Create a custom role (only with scopes you hold).',
    tag: 'roles',
    access: { scope: 'roles.edit' },
    body: z.strictObject({ name: roleName, description: z.string().max(500).optional(), scopes: scopeList }),
    responses: { 201: { description: 'Created', schema: z.object({ role: roleSchema }) }, 403: { description: 'scope_not_held' } },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = { role: await s.roles.create(ctx.state.caller, body) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/roles/:id',
    summary: 'Change a custom role.',
    tag: 'roles',
    access: { scope: 'roles.edit' },
    params: idParam,
    body: z.strictObject({ name: roleName.optional(), description: z.string().max(500).optional(), scopes: scopeList.optional() }),
    responses: { 200: { description: 'Updated', schema: z.object({ role: roleSchema }) } },
    handler: async (ctx, { params, body }) => {
      ctx.body = { role: await s.roles.update(ctx.state.caller, params.id, body) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/roles/:id',
    summary: 'Delete a custom role (its assignments go with it).',
    tag: 'roles',
    access: { scope: 'roles.edit' },
    params: idParam,
    responses: { 204: { description: 'Deleted' } },
    handler: async (ctx, { params }) => {
      await s.roles.remove(ctx.state.caller, params.id);
      ctx.status = 204;
    },
  }),
];
