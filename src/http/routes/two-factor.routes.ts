// Two-factor authentication of my account (setup, confirm, recovery codes, turn off), the admin reset and the 2FA policy.
import { z } from 'zod';
import { policyCovers, TWO_FACTOR_LEVELS, type TwoFactorLevel } from '../../auth/two-factor.policy.ts';
import { conflict, forbidden } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { idParam, password, userSchema } from '../schemas.ts';
import type { Services } from '../services.ts';
import { checkCurrentPassword, sessionUser } from './proof.helpers.ts';
import { rotateSession } from './session.helpers.ts';

const code = z.string().min(1).max(32).describe('Six-digit code from the authenticator app.');
const recoveryCode = z.string().min(1).max(64).describe('One of the recovery codes (each works once).');
const level = z.enum(TWO_FACTOR_LEVELS);

const statusSchema = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
  lastRecoveryCodeUse: z.object({ at: z.string(), ip: z.string().nullable() }).nullable(),
  requiredByPolicy: z.boolean(),
  policy: level,
});
const policySchema = z.object({ require2fa: level, configMinimum: level, effective: level });
const codesSchema = z.object({ recoveryCodes: z.array(z.string()) });

/** Whether the 2FA policy covers the session's user (as enrolling, or as a signed-in actor). */
async function requiredFor(ctx: AppContext, s: Services): Promise<{ required: boolean; policy: TwoFactorLevel }> {
  const who = ctx.state.actor ?? ctx.state.enrolling;
  const policy = await s.twoFactorPolicy.effective();
  return { required: who !== null && policyCovers(policy, who.grants), policy };
}

export const twoFactorRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/account/2fa',
    summary: 'Whether my account uses 2FA, how many recovery codes are left and whether the policy requires 2FA.',
    tag: 'account',
    access: { authenticated: true, enrolment: true },
    responses: { 200: { description: 'Status', schema: statusSchema } },
    handler: async (ctx) => {
      const me = sessionUser(ctx);
      const { required, policy } = await requiredFor(ctx, s);
      ctx.body = { ...(await s.twoFactor.status(me.id)), requiredByPolicy: required, policy };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/2fa/setup',
    summary: 'Start 2FA setup: a new secret with its otpauth:// URL and QR code. Starting again replaces the secret.',
    tag: 'account',
    access: { authenticated: true, enrolment: true },
    responses: {
      200: { description: 'Scan the QR code (or type the secret) in an authenticator app, then confirm with a code', schema: z.object({ secret: z.string(), otpauthUrl: z.string(), qrCode: z.string(), expiresAt: z.string() }) },
      409: { description: 'two_factor_already_enabled' },
    },
    handler: async (ctx) => {
      const me = sessionUser(ctx);
      ctx.body = await s.twoFactor.beginSetup({ id: me.id, username: me.name });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/2fa/confirm',
    summary: 'Turn 2FA on with a code from the new device. Returns the recovery codes, shown this once; other sessions are ended.',
    tag: 'account',
    access: { authenticated: true, enrolment: true },
    body: z.strictObject({ code }),
    responses: {
      200: { description: 'On; the session has a new id', schema: codesSchema.extend({ csrfToken: z.string() }) },
      400: { description: 'invalid_code' },
      409: { description: 'no_setup_in_progress, setup_expired or two_factor_already_enabled' },
    },
    handler: async (ctx, { body }) => {
      const me = sessionUser(ctx);
      const recoveryCodes = await s.twoFactor.confirmSetup(ctx.state.caller, { id: me.id, username: me.name }, body.code);
      // SECURITY: sessions opened before 2FA was on did not prove it; only this one stays, under a new id.
      await s.sessions.revokeAllForUser(me.id, ctx.state.session?.id);
      ctx.body = { recoveryCodes, csrfToken: await rotateSession(ctx, s) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/account/2fa/recovery-codes',
    summary: 'Replace my recovery codes (the old ones stop working). Needs my password and a current code.',
    tag: 'account',
    access: { authenticated: true },
    body: z.strictObject({ password, code }),
    responses: { 200: { description: 'New codes, shown this once', schema: codesSchema }, 400: { description: 'invalid_password or invalid_code' }, 429: { description: 'rate_limited' } },
    handler: async (ctx, { body }) => {
      const me = sessionUser(ctx);
      await checkCurrentPassword(ctx, s, me.id, body.password, 'auth.2fa.failure');
      const user = { id: me.id, username: me.name };
      await s.twoFactor.prove(ctx.state.caller, user, { code: body.code }, 'regenerate');
      ctx.body = { recoveryCodes: await s.twoFactor.regenerateRecoveryCodes(ctx.state.caller, user) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/account/2fa',
    summary: 'Turn 2FA off. Needs my password and a current code or a recovery code.',
    tag: 'account',
    access: { authenticated: true },
    body: z.union([z.strictObject({ password, code }), z.strictObject({ password, recoveryCode })]),
    responses: {
      200: { description: 'Off', schema: z.object({ twoFactorSetupRequired: z.boolean().describe('The policy still requires 2FA: set it up again before anything else.') }) },
      400: { description: 'invalid_password or invalid_code' },
      429: { description: 'rate_limited' },
    },
    handler: async (ctx, { body }) => {
      const me = sessionUser(ctx);
      await checkCurrentPassword(ctx, s, me.id, body.password, 'auth.2fa.failure');
      const user = { id: me.id, username: me.name };
      const proof = await s.twoFactor.prove(ctx.state.caller, user, body, 'disable');
      await s.twoFactor.remove(ctx.state.caller, user, 'auth.2fa.disabled', { method: proof.method });
      ctx.body = { twoFactorSetupRequired: (await requiredFor(ctx, s)).required };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/users/:id/2fa',
    summary: 'Reset another user\'s 2FA (lost device): their secret and recovery codes are removed and their sessions ended.',
    tag: 'users',
    access: { scope: 'users.edit' },
    params: idParam,
    responses: {
      200: { description: 'Reset', schema: z.object({ user: userSchema }) },
      403: { description: 'two_factor_required (your own 2FA must be on) or scope_not_held' },
      404: { description: 'No such user' },
      409: { description: 'two_factor_not_enabled or use_account_disable' },
    },
    handler: async (ctx, { params }) => {
      const actor = ctx.state.actor!;
      // SECURITY: only an administrator who proved a second factor may take one away from somebody else.
      if (actor.type !== 'user' || ctx.state.authMethod !== 'session' || !(await s.twoFactor.isEnabled(actor.id))) {
        throw forbidden('two_factor_required', 'Turn on two-factor authentication for your own account first.');
      }
      if (params.id === actor.id) throw conflict('use_account_disable', 'Turn off your own 2FA from My account, with your password and a code.');
      const target = await s.users.row(params.id);
      await s.users.guardTarget(ctx.state.caller, target.id, 'reset 2FA of');
      if (!(await s.twoFactor.isEnabled(target.id))) throw conflict('two_factor_not_enabled', 'This user does not use two-factor authentication.');
      const sessionsEnded = await s.sessions.revokeAllForUser(target.id);
      await s.twoFactor.remove(ctx.state.caller, { id: target.id, username: target.username }, 'auth.2fa.reset_by_admin', { sessionsEnded });
      ctx.body = { user: await s.users.get(target.id) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/settings/two-factor',
    summary: 'Who must use 2FA: the panel setting, the minimum the config file sets, and the stricter of the two.',
    tag: 'settings',
    access: { scope: 'settings.view' },
    responses: { 200: { description: 'Policy', schema: policySchema } },
    handler: async (ctx) => {
      ctx.body = await s.twoFactorPolicy.settings();
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/settings/two-factor',
    summary: 'Set who must use 2FA: none, admins (holders of the admin scope) or all. Never below the config file\'s minimum.',
    tag: 'settings',
    access: { scope: 'settings.edit' },
    body: z.strictObject({ require2fa: level }),
    responses: { 200: { description: 'Saved', schema: policySchema }, 400: { description: 'below_config_minimum' } },
    handler: async (ctx, { body }) => {
      ctx.body = await s.twoFactorPolicy.set(ctx.state.caller, body.require2fa);
    },
  }),
];
