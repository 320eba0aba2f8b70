// OAuth2 API clients: create (secret shown once), list, regenerate the secret, revoke tokens, disable, delete.
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route.ts';
import { idParam } from '../schemas.ts';
import type { Services } from '../services.ts';

const clientSchema = z.object({
  id: z.string().describe('The client_id.'),
  name: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  scopes: z.array(z.string()),
  allowedIps: z.array(z.string()),
  tokenTtl: z.number().int().describe('Access-token lifetime in seconds.'),
  disabled: z.boolean(),
  createdAt: z.string(),
  secretRotatedAt: z.string(),
  lockedDownAt: z.string().nullable().describe('Set when a lockdown replaced the secret: the client stays disabled until its owner regenerates the secret.'),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  activeTokens: z.number().int(),
});
const withSecret = z.object({ client: clientSchema, clientId: z.string(), clientSecret: z.string().describe('Shown this once; only its hash is kept.') });

export const clientsRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/clients',
    summary: 'My OAuth2 API clients (an administrator sees every user\'s).',
    tag: 'clients',
    access: { scope: 'clients.view' },
    responses: { 200: { description: 'Clients', schema: z.object({ items: z.array(clientSchema) }) } },
    handler: async (ctx) => {
      ctx.body = { items: await s.oauth.clients.list(ctx.state.caller) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/clients/meta',
    summary: 'Token lifetimes a client may have, and the token endpoint\'s address.',
    tag: 'clients',
    access: { scope: 'clients.view' },
    responses: { 200: { description: 'Limits', schema: z.object({ maxTokenTtl: z.number().int(), defaultTokenTtl: z.number().int(), tokenUrl: z.string() }) } },
    handler: (ctx) => {
      ctx.body = { maxTokenTtl: s.oauth.clients.maxTokenTtl, defaultTokenTtl: s.oauth.clients.defaultTokenTtl, tokenUrl: `${ctx.state.secure ? 'https' : 'http'}://${ctx.get('Host')}/oauth2/token` };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/clients',
    summary: 'Create an OAuth2 client with a subset of my scopes. The secret is in this answer only.',
    tag: 'clients',
    access: { scope: 'clients.edit' },
    body: z.strictObject({
      name: z.string().trim().min(1).max(64),
      scopes: z.array(z.string().min(1).max(140)).min(1).max(64).describe('Global scope names, or scope:serverId for one server.'),
      allowedIps: z.array(z.string().min(1).max(64)).max(64).optional().describe('Addresses or CIDRs the client may be used from; empty: anywhere.'),
      tokenTtl: z.number().int().optional().describe('Access-token lifetime in seconds.'),
    }),
    responses: {
      201: { description: 'Created', schema: withSecret },
      400: { description: 'unknown_scope, invalid_cidr or token_ttl_out_of_range' },
      403: { description: 'scope_not_held' },
    },
    handler: async (ctx, { body }) => {
      const { client, clientSecret } = await s.oauth.clients.create(ctx.state.caller, body);
      ctx.status = 201;
      ctx.body = { client, clientId: client.id, clientSecret };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/clients/:id/secret',
    summary: 'A new secret for the client: the old one fails at once and every token of the client is revoked.',
    tag: 'clients',
    access: { scope: 'clients.edit' },
    params: idParam,
    responses: { 200: { description: 'Regenerated', schema: withSecret }, 404: { description: 'No such client of yours' } },
    handler: async (ctx, { params }) => {
      const { client, clientSecret } = await s.oauth.clients.regenerateSecret(ctx.state.caller, params.id);
      ctx.body = { client, clientId: client.id, clientSecret };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/clients/:id/revoke-tokens',
    summary: 'Revoke every access token of the client.',
    tag: 'clients',
    access: { scope: 'clients.edit' },
    params: idParam,
    responses: { 200: { description: 'Revoked', schema: z.object({ revoked: z.number().int() }) }, 404: { description: 'No such client of yours' } },
    handler: async (ctx, { params }) => {
      ctx.body = { revoked: await s.oauth.clients.revokeAllTokens(ctx.state.caller, params.id) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/clients/:id',
    summary: 'Disable or enable the client; disabling revokes its tokens.',
    tag: 'clients',
    access: { scope: 'clients.edit' },
    params: idParam,
    body: z.strictObject({ disabled: z.boolean() }),
    responses: { 200: { description: 'Changed', schema: z.object({ client: clientSchema }) }, 404: { description: 'No such client of yours' } },
    handler: async (ctx, { params, body }) => {
      ctx.body = { client: await s.oauth.clients.setDisabled(ctx.state.caller, params.id, body.disabled) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/clients/:id',
    summary: 'Delete the client and revoke its tokens.',
    tag: 'clients',
    access: { scope: 'clients.edit' },
    params: idParam,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such client of yours' } },
    handler: async (ctx, { params }) => {
      await s.oauth.clients.remove(ctx.state.caller, params.id);
      ctx.status = 204;
    },
  }),
];
