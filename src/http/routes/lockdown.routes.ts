// Incident response over HTTP: the lockdown's state, running it (an administrator, from a browser session, with their
// password and a 2FA code again), undoing what can be undone (maintenance mode, the new-password requirement), and the
// review: what a responder checks first, from the audit trail and the monitor's detections.
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { password } from '../schemas.ts';
import type { Services } from '../services.ts';
import { checkCurrentPassword, sessionUser } from './proof.helpers.ts';

const ACCESS = { scope: 'admin' } as const;

const reportSchema = z.object({
  at: z.string(),
  by: z.string(),
  steps: z.array(z.object({ step: z.enum(['oauth', 'sessions', 'sftp', 'passwords', 'maintenance', 'notify']), count: z.number(), detail: z.string() })),
});
const stateSchema = z.object({
  maintenance: z.object({ since: z.string(), by: z.string() }).nullable(),
  lastReport: reportSchema.nullable(),
});

/** What the review lists, each from audit event types (or the monitor's rules), with the audit filter it links to. */
const REVIEW = [
  { id: 'users_created', title: 'Users created', types: ['user.created'] },
  { id: 'privilege_changes', title: 'Privilege changes', types: ['user.roles_changed', 'user.roles.changed', 'role.created', 'role.updated', 'role.deleted'] },
  { id: 'oauth_clients', title: 'New OAuth2 clients', types: ['oauth.client.created'] },
  { id: 'two_factor_off', title: 'Two-factor authentication turned off or reset', types: ['auth.2fa.disabled', 'auth.2fa.reset_by_admin'] },
] as const;
const NEW_NETWORK_RULES = ['panel-login-new-network', 'panel-admin-login-new-network'];

const reviewItem = z.object({ ts: z.string(), who: z.string().nullable(), ip: z.string().nullable(), what: z.string(), target: z.string().nullable(), auditId: z.string().nullable() });

const stateOf = async (s: Services) => {
  const st = await s.lockdown.state();
  return { maintenance: st.maintenance ? { since: new Date(st.maintenance.since).toISOString(), by: st.maintenance.by } : null, lastReport: st.lastReport };
};

export const lockdownRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/lockdown',
    summary: 'Whether maintenance mode is on, and the report of the last lockdown.',
    tag: 'incident',
    access: ACCESS,
    responses: { 200: { description: 'State', schema: stateSchema } },
    handler: async (ctx) => {
      ctx.body = await stateOf(s);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/lockdown',
    summary:
      'Lock the panel down: revoke every OAuth2 token and replace every client secret (clients stay disabled until their owners regenerate the secret), end every session but yours and every SFTP session, require a new password of all or chosen users, and optionally turn maintenance mode on. Needs your password, and a 2FA code when you use 2FA.',
    tag: 'incident',
    access: ACCESS,
    body: z.strictObject({
      password,
      code: z.string().regex(/^\d{6}$/).optional(),
      recoveryCode: z.string().min(1).max(64).optional(),
      passwordReset: z.union([z.enum(['none', 'all']), z.strictObject({ users: z.array(z.string().min(1).max(64)).min(1).max(10_000) })]).default('all'),
      maintenance: z.boolean().default(false),
      notifyUsers: z.boolean().default(false).describe('E-mail the affected users (through the alert e-mail channel): what happened and what they must do.'),
    }),
    responses: {
      200: { description: 'Done', schema: z.object({ report: reportSchema }) },
      400: { description: 'invalid_password, invalid_code, code_required' },
      403: { description: 'session_required' },
    },
    handler: async (ctx, { body }) => {
      const me = sessionUser(ctx);
      await checkCurrentPassword(ctx, s, me.id, body.password, 'lockdown.failed');
      // SECURITY: the second factor again, so a stolen session alone cannot lock everyone else out.
      if (await s.twoFactor.isEnabled(me.id)) {
        if (!body.code && !body.recoveryCode) throw new AppError(400, 'code_required', 'Enter a code from your authenticator app (or a recovery code) too.');
        await s.twoFactor.prove(ctx.state.caller, { id: me.id, username: me.name }, body.code ? { code: body.code } : { recoveryCode: body.recoveryCode! }, 'lockdown');
      }
      const report = await s.lockdown.run(ctx.state.caller, { passwordReset: body.passwordReset, maintenance: body.maintenance, notifyUsers: body.notifyUsers }, ctx.state.session?.id ?? null);
      ctx.body = { report };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/incident/review',
    summary: 'What an incident responder checks, over the last days: users created, privilege changes, new OAuth2 clients, sign-ins from new networks, 2FA turned off; each with the audit event to open.',
    tag: 'incident',
    access: ACCESS,
    query: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30) }),
    responses: {
      200: {
        description: 'The review',
        schema: z.object({
          since: z.string(),
          sections: z.array(z.object({ id: z.string(), title: z.string(), auditTypes: z.array(z.string()), items: z.array(reviewItem), truncated: z.boolean() })),
        }),
      },
    },
    handler: async (ctx, { query }) => {
      const since = s.clock.now() - query.days * 86_400_000;
      const LIMIT = 100;
      type Section = { id: string; title: string; auditTypes: string[]; truncated: boolean; items: Array<z.infer<typeof reviewItem>> };
      const sections: Section[] = [];
      for (const r of REVIEW) {
        const events = (await Promise.all(r.types.map((type) => s.audit.list({ type, from: since, limit: LIMIT + 1 })))).flat().sort((a, b) => b.ts - a.ts);
        sections.push({
          id: r.id,
          title: r.title,
          auditTypes: [...r.types],
          truncated: events.length > LIMIT,
          items: events.slice(0, LIMIT).map((e) => ({
            ts: new Date(e.ts).toISOString(),
            who: e.actor.name,
            ip: e.ip,
            what: e.type,
            target: e.target.name ?? e.target.id,
            auditId: String(e.id),
          })),
        });
      }
      const detections = (await Promise.all(NEW_NETWORK_RULES.map((rule) => s.monitor.detections({ limit: LIMIT + 1, rule })))).flat().filter((d) => Date.parse(d.ts) >= since).sort((a, b) => b.ts.localeCompare(a.ts));
      sections.splice(3, 0, {
        id: 'new_networks',
        title: 'Sign-ins from new networks',
        auditTypes: ['auth.login.success'],
        truncated: detections.length > LIMIT,
        items: detections.slice(0, LIMIT).map((d) => ({ ts: d.ts, who: d.user, ip: d.ip, what: d.rule, target: null, auditId: null })),
      });
      ctx.body = { since: new Date(since).toISOString(), sections };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/lockdown/maintenance',
    summary: 'Turn maintenance mode on or off (only administrators may sign in while it is on).',
    tag: 'incident',
    access: ACCESS,
    body: z.strictObject({ enabled: z.boolean() }),
    responses: { 200: { description: 'State', schema: stateSchema } },
    handler: async (ctx, { body }) => {
      await s.lockdown.setMaintenance(ctx.state.caller, body.enabled);
      ctx.body = await stateOf(s);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/lockdown/password-reset/lift',
    summary: 'Undo the new-password requirement of a lockdown: nobody has to choose a new password any more.',
    tag: 'incident',
    access: ACCESS,
    responses: { 200: { description: 'Lifted', schema: z.object({ users: z.number() }) } },
    handler: async (ctx) => {
      ctx.body = { users: await s.lockdown.liftPasswordChange(ctx.state.caller) };
    },
  }),
];
