// Starting and describing a browser session after login or setup: new id, CSRF token, expiry times, the pending second factor.
import type { Grants } from '../../auth/permissions.ts';
import { policyCovers } from '../../auth/two-factor.policy.ts';
import { newSecret } from '../../shared/ids.ts';
import type { AppContext } from '../context.ts';
import { csrfTokenFor } from '../middleware/csrf.ts';
import type { Services } from '../services.ts';

/** How long the second step of a sign-in may take after the password. */
export const SECOND_FACTOR_WINDOW_MS = 5 * 60_000;

type SignedInUser = { id: string; username: string };

/** Empties the session (whatever an anonymous visitor's session held is dropped) and moves it to a new id. */
function freshSession(ctx: AppContext): { salt: string } {
  const session = ctx.session!;
  for (const key of Object.keys(session)) delete session[key];
  session.csrfSalt = newSecret(16);
  session.regenerate();
  return { salt: session.csrfSalt };
}

/** Signs the user in on this request with a brand-new session id (no fixation). Returns the CSRF token. */
export async function startSession(ctx: AppContext, s: Services, user: SignedInUser, grants: Grants): Promise<string> {
  const { salt } = freshSession(ctx);
  ctx.session!.uid = user.id;
  ctx.session!.authAt = s.clock.now();
  const actor = { type: 'user' as const, id: user.id, name: user.username, grants };
  ctx.state.actor = actor;
  ctx.state.authMethod = 'session';
  ctx.state.caller = { ...ctx.state.caller, actor };
  return csrfTokenFor(s.csrfKey, salt);
}

/**
 * Completes a sign-in (password, password and second factor, or first-admin setup): new session, last login, audit.
 * Returns the answer the client gets: the user, the CSRF token and whether the 2FA policy first wants a setup.
 */
export async function completeSignIn(ctx: AppContext, s: Services, user: SignedInUser, grants: Grants, method: string) {
  const csrfToken = await startSession(ctx, s, user, grants);
  await s.users.recordLogin(user.id, ctx.state.ip);
  await s.audit.record({
    type: 'auth.login.success',
    actor: { type: 'user', id: user.id, name: user.username },
    ip: ctx.state.ip,
    userAgent: ctx.state.caller.userAgent,
    target: { type: 'user', id: user.id, name: user.username },
    outcome: 'success',
    // Whether an administrator signed in: the monitor watches their new networks more closely.
    details: { method, admin: grants.global.has('admin') },
  });
  const me = await s.users.get(user.id);
  const twoFactorSetupRequired = !me.twoFactorEnabled && policyCovers(await s.twoFactorPolicy.effective(), grants);
  return { user: me, csrfToken, twoFactorSetupRequired, passwordChangeRequired: me.passwordChangeRequired };
}

/**
 * After a right password for a user with 2FA: the session only waits for the second factor, for five minutes. It is
 * not signed in and reaches nothing but POST /auth/2fa. Returns the CSRF token that call needs.
 */
export function startPendingSecondFactor(ctx: AppContext, s: Services, user: SignedInUser): { csrfToken: string; expiresAt: string } {
  const { salt } = freshSession(ctx);
  const until = s.clock.now() + SECOND_FACTOR_WINDOW_MS;
  ctx.session!.mfa = { uid: user.id, until, failures: 0 };
  return { csrfToken: csrfTokenFor(s.csrfKey, salt), expiresAt: new Date(until).toISOString() };
}

/** Gives the current session a new id, keeping the sign-in (privilege change). Returns the CSRF token. */
export async function rotateSession(ctx: AppContext, s: Services): Promise<string> {
  const session = ctx.session!;
  session.csrfSalt = newSecret(16);
  session.regenerate();
  return csrfTokenFor(s.csrfKey, session.csrfSalt);
}

export const currentCsrf = (ctx: AppContext, s: Services): string | null => {
  const salt = ctx.session?.csrfSalt;
  return salt ? csrfTokenFor(s.csrfKey, salt) : null;
};
