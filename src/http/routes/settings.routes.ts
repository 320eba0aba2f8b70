// Panel settings: the admin IP allowlist.
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

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
];
