// Re-checking the signed-in user's password before a sensitive change, under the same limit as wrong logins.
import { ipAccountKey } from '../../auth/login.service.ts';
import type { UserRow } from '../../auth/users.rows.ts';
import { AppError } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';
import type { Services } from '../services.ts';

/** The user acting through a browser session: signed in, or (for 2FA setup) covered by the policy and enrolling. */
export function sessionUser(ctx: AppContext): { id: string; name: string } {
  const who = ctx.state.actor ?? ctx.state.enrolling;
  if (!who || who.type !== 'user' || ctx.state.authMethod !== 'session') {
    throw new AppError(403, 'session_required', 'This can only be done from a signed-in browser session.');
  }
  return who;
}

/**
 * Throws 400 invalid_password (audited as `failureType`) unless `password` is the user's password. Wrong guesses count
 * on the per-account-and-address login limit, so a stolen session cannot be used to guess the password.
 */
export async function checkCurrentPassword(ctx: AppContext, s: Services, userId: string, password: string, failureType: string): Promise<UserRow> {
  const row = await s.users.row(userId);
  const key = ipAccountKey(ctx.state.ip, row.id);
  const wait = await s.limits.loginPerIpAccount.blockedFor(key);
  if (wait > 0) throw new AppError(429, 'rate_limited', 'Too many wrong passwords. Try again later.', { headers: { 'Retry-After': String(Math.ceil(wait / 1000)) } });
  if (!(await s.hasher.verify(row.password_hash, password))) {
    await s.limits.loginPerIpAccount.hit(key);
    await s.audit.record({
      type: failureType,
      actor: { type: 'user', id: row.id, name: row.username },
      ip: ctx.state.ip,
      userAgent: ctx.state.caller.userAgent,
      target: { type: 'user', id: row.id, name: row.username },
      outcome: 'failure',
      details: { reason: 'wrong_current_password' },
    });
    throw new AppError(400, 'invalid_password', 'The current password is wrong.');
  }
  return row;
}
