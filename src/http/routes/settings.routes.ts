// Panel settings: the admin IP allowlist, and who may open the status page.
import { z } from 'zod';
import { STATUS_PAGE_CLIENT_ID, STATUS_PAGE_SECRET_ENV } from '../../gatus/index.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

const statusAccessSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('public') }),
  z.strictObject({
    kind: z.literal('basic'),
    username: z.string().trim().min(1).max(64).regex(/^[^"\\\x00-\x1f]+$/, 'must not hold quotes, backslashes or control characters'),
    passwordBcryptBase64Env: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an environment variable name (A-Z, 0-9, _)'),
  }),
  z.strictObject({ kind: z.literal('panel') }),
]);
const statusPageSchema = z.object({
  access: statusAccessSchema,
  statusPageUrl: z.string().nullable().describe('gatus.statusPageUrl: sign-in through the panel needs it.'),
  signIn: z.object({ issuer: z.string(), clientId: z.string(), redirectUri: z.string().nullable(), secretEnv: z.string() }).describe('What Gatus is configured with for sign-in through the panel (the secret itself is never shown).'),
});

const allowlistSchema = z.object({ entries: z.array(z.object({ cidr: z.string(), source: z.enum(['config', 'panel']) })), yourIp: z.string() });

export const settingsRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/settings/allowlist',
    summary: 'The admin IP allowlist (empty: admins may connect from anywhere).',
    tag: 'settings',
    access: { scope: 'settings.view' },
    responses: { 200: { description: 'Allowlist', schema: allowlistSchema } },
    handler: async (ctx) => {
      ctx.body = { entries: await s.allowlist.entries(), yourIp: ctx.state.ip };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/settings/allowlist',
    summary: 'Replace the panel\'s allowlist entries. Refused when it would lock you out.',
    tag: 'settings',
    access: { scope: 'settings.edit' },
    body: z.strictObject({ cidrs: z.array(z.string().min(1).max(64)).max(1024) }),
    responses: { 200: { description: 'Saved', schema: allowlistSchema }, 409: { description: 'allowlist_lockout' } },
    handler: async (ctx, { body }) => {
      await s.allowlist.set(ctx.state.caller, body.cidrs);
      ctx.body = { entries: await s.allowlist.entries(), yourIp: ctx.state.ip };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/settings/status-page',
    summary: 'Who may open the status page (Gatus): everyone, basic auth, or people signed in to the panel.',
    tag: 'settings',
    access: { scope: 'settings.view' },
    responses: { 200: { description: 'Status page access', schema: statusPageSchema } },
    handler: async (ctx) => {
      ctx.body = await statusPage(s);
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/settings/status-page',
    summary: 'Choose who may open the status page; the Gatus file is rewritten at once (Gatus reloads it within 30 s).',
    tag: 'settings',
    access: { scope: 'settings.edit' },
    body: statusAccessSchema,
    responses: { 200: { description: 'Saved', schema: statusPageSchema }, 409: { description: 'status_page_url_required' } },
    handler: async (ctx, { body }) => {
      await s.gatus.access.set(ctx.state.caller, body);
      ctx.body = await statusPage(s);
    },
  }),
];

async function statusPage(s: Services) {
  return {
    access: await s.gatus.access.current(),
    statusPageUrl: s.gatus.statusPageUrl,
    signIn: { issuer: s.gatus.issuer, clientId: STATUS_PAGE_CLIENT_ID, redirectUri: s.gatus.access.redirectUri, secretEnv: STATUS_PAGE_SECRET_ENV },
  };
}
