// Starting and describing a browser session after login or setup: new id, CSRF token, expiry times.
import type { Grants } from '../../auth/permissions.ts';
import { newSecret } from '../../shared/ids.ts';
import type { AppContext } from '../context.ts';
import { csrfTokenFor } from '../middleware/csrf.ts';
import type { Services } from '../services.ts';

/** Signs the user in on this request with a brand-new session id (no fixation). Returns the CSRF token. */
export async function startSession(ctx: AppContext, s: Services, user: { id: string; username: string }, grants: Grants): Promise<string> {
  const session = ctx.session!;
  const salt = newSecret(16);
  // Whatever an anonymous visitor's session held is dropped: the signed-in session starts clean.
  for (const key of Object.keys(session)) delete session[key];
  session.uid = user.id;
  session.authAt = s.clock.now();
  session.csrfSalt = salt;
  session.regenerate();
  const actor = { type: 'user' as const, id: user.id, name: user.username, grants };
  ctx.state.actor = actor;
  ctx.state.authMethod = 'session';
  ctx.state.caller = { ...ctx.state.caller, actor };
  return csrfTokenFor(s.csrfKey, salt);
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
