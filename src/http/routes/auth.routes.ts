// Login (password, then the second factor when the account has one), logout and the current session.
import { z } from 'zod';
import { AppError, unauthenticated } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import { userSchema } from '../schemas.ts';
import type { Services } from '../services.ts';
import { completeSignIn, currentCsrf, startPendingSecondFactor } from './session.helpers.ts';

const signedIn = z.object({
  user: userSchema,
  csrfToken: z.string(),
  twoFactorSetupRequired: z.boolean().describe('The 2FA policy covers this user, who must set 2FA up before anything else.'),
  passwordChangeRequired: z.boolean().describe('The user must choose a new password (POST /users/me/password) before anything else.'),
});
const sessionResponse = signedIn.extend({ idleExpiresAt: z.string(), absoluteExpiresAt: z.string() });

/** Wrong codes allowed in one pending sign-in before the password must be entered again. */
const MAX_CODE_FAILURES = 5;

const noPendingLogin = () => new AppError(401, 'no_pending_login', 'Sign in with your password first. The code step lasts five minutes.');

export const authRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'POST',
    path: '/auth/login',
    summary: 'Sign in with username (or e-mail) and password. An account with 2FA gets a pending sign-in that POST /auth/2fa completes.',
    tag: 'auth',
    access: { public: true },
    csrf: false,
    body: z.strictObject({
      username: z.string().min(1).max(254).describe('Username or e-mail address.'),
      // SECURITY: capped so a megabyte "password" cannot be fed to argon2.
      password: z.string().min(1).max(1024),
    }),
    responses: {
      200: {
        description: 'Signed in (the session cookie is set), or the second factor is required next',
        schema: z.union([signedIn, z.object({ twoFactorRequired: z.literal(true), csrfToken: z.string(), expiresAt: z.string() })]),
      },
      401: { description: 'invalid_credentials' },
      403: { description: 'ip_not_allowed' },
      429: { description: 'rate_limited, with Retry-After' },
    },
    handler: async (ctx, { body }) => {
      const { user, grants } = await s.login.login({ login: body.username, password: body.password, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent });
      // Only a caller who knew the password learns whether the account has 2FA.
      if (await s.twoFactor.isEnabled(user.id)) {
        ctx.body = { twoFactorRequired: true, ...startPendingSecondFactor(ctx, s, user) };
        return;
      }
      ctx.body = await completeSignIn(ctx, s, user, grants, 'password');
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/auth/2fa',
    summary: 'Second step of signing in: a code from the authenticator app, or a recovery code. Issues a new session id.',
    tag: 'auth',
    access: { public: true },
    body: z.union([
      z.strictObject({ code: z.string().min(1).max(32).describe('Six-digit code from the authenticator app.') }),
      z.strictObject({ recoveryCode: z.string().min(1).max(64).describe('One of the recovery codes (each works once).') }),
    ]),
    responses: {
      200: { description: 'Signed in', schema: signedIn.extend({ recoveryCodesLeft: z.number().int().optional().describe('Present when a recovery code was used.') }) },
      400: { description: 'invalid_code (wrong, or already used)' },
      401: { description: 'no_pending_login: no password step in this session, or it expired, or too many wrong codes' },
      429: { description: 'rate_limited, with Retry-After' },
    },
    handler: (ctx, { body }) => secondStep(ctx, s, body),
  }),
  defineRoute({
    method: 'POST',
    path: '/auth/logout',
    summary: 'End the current session on the server and clear the cookie (also a sign-in still waiting for its code).',
    tag: 'auth',
    access: { public: true },
    responses: { 204: { description: 'Signed out' } },
    handler: async (ctx) => {
      const sessionId = ctx.state.session?.id ?? null;
      const who = ctx.state.actor ?? ctx.state.enrolling;
      ctx.session = null;
      if (who) {
        await s.audit.record({ type: 'auth.logout', actor: { type: 'user', id: who.id, name: who.name }, ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent, target: { type: 'session', id: sessionId, name: null }, outcome: 'success' });
      }
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/auth/session',
    summary: 'The signed-in user, the CSRF token, when the session expires and whether 2FA must be set up first.',
    tag: 'auth',
    access: { public: true },
    responses: {
      200: { description: 'Current session', schema: sessionResponse },
      401: { description: 'unauthenticated, or second_factor_required (details: expiresAt, csrfToken) while a sign-in waits for its code' },
    },
    handler: async (ctx) => {
      const info = ctx.state.session;
      const csrfToken = currentCsrf(ctx, s);
      const mfa = ctx.session?.mfa;
      if (mfa && mfa.until > s.clock.now()) {
        // The page reloaded during the code step: it needs the pending session's CSRF token to send the code.
        const details = { expiresAt: new Date(mfa.until).toISOString(), csrfToken };
        throw new AppError(401, 'second_factor_required', 'Enter the code from your authenticator app to finish signing in.', { details });
      }
      const who = ctx.state.actor ?? ctx.state.enrolling;
      if (!who || ctx.state.authMethod !== 'session' || !info || !csrfToken) throw unauthenticated('Not signed in.');
      ctx.body = {
        user: await s.users.get(who.id),
        csrfToken,
        twoFactorSetupRequired: ctx.state.restriction === 'two_factor_setup',
        passwordChangeRequired: ctx.state.restriction === 'password_change',
        idleExpiresAt: new Date(Math.min(info.idleExpiresAt, info.expiresAt)).toISOString(),
        absoluteExpiresAt: new Date(info.expiresAt).toISOString(),
      };
    },
  }),
];

/** POST /auth/2fa: the pending sign-in of this session, completed by a code; too many wrong codes end it. */
async function secondStep(ctx: AppContext, s: Services, proof: { code?: string; recoveryCode?: string }): Promise<void> {
  const mfa = ctx.session?.mfa;
  if (!mfa || mfa.until <= s.clock.now()) throw noPendingLogin();
  const principal = await s.users.principal(mfa.uid);
  if (!principal || principal.row.disabled || !principal.twoFactor) {
    ctx.session = null;
    throw noPendingLogin();
  }
  const user = { id: principal.row.id, username: principal.row.username };
  // SECURITY: the admin allowlist was checked with the password; the code must come from an allowed address too.
  if (principal.grants.global.has('admin') && !(await s.allowlist.isAllowed(ctx.state.ip))) {
    ctx.session = null;
    throw new AppError(403, 'ip_not_allowed', 'Administrators may not sign in from this address.');
  }
  let result;
  try {
    result = await s.twoFactor.prove(ctx.state.caller, user, proof, 'login');
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid_code') {
      const failures = mfa.failures + 1;
      if (failures >= MAX_CODE_FAILURES) {
        ctx.session = null;
        throw new AppError(401, 'no_pending_login', 'Too many wrong codes. Sign in with your password again.');
      }
      ctx.session!.mfa = { ...mfa, failures };
    }
    throw err;
  }
  const answer = await completeSignIn(ctx, s, user, principal.grants, result.method === 'totp' ? 'password+totp' : 'password+recovery_code');
  ctx.body = result.recoveryCodesLeft === undefined ? answer : { ...answer, recoveryCodesLeft: result.recoveryCodesLeft };
}
