// Password login: rate limits per address and per account, one answer for unknown users and wrong passwords, the admin allowlist.
import type { AuditService } from '../audit/index.ts';
import { AppError, forbidden, tooManyRequests } from '../shared/errors.ts';
import type { AllowlistService } from './allowlist.service.ts';
import type { PasswordHasher } from './password.hasher.ts';
import type { Grants } from './permissions.ts';
import type { RateLimits } from './rate-limits.ts';
import type { UsersService } from './users.service.ts';
import type { UserRow } from './users.rows.ts';

export type LoginRequest = { login: string; password: string; ip: string; userAgent: string | null };

export type LoginService = ReturnType<typeof createLoginService>;

export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Invalid username or password.');

export function createLoginService(deps: {
  users: UsersService;
  hasher: PasswordHasher;
  limits: RateLimits;
  allowlist: AllowlistService;
  audit: AuditService;
}) {
  const { users, hasher, limits, allowlist, audit } = deps;

  const keysFor = (req: LoginRequest) => {
    const account = req.login.trim().toLowerCase().slice(0, 254);
    return { ip: req.ip, account, ipAccount: `${req.ip}|${account}` };
  };

  async function fail(req: LoginRequest, reason: string, user: UserRow | undefined): Promise<never> {
    const keys = keysFor(req);
    const results = await Promise.all([
      limits.loginPerIp.hit(keys.ip),
      limits.loginPerAccount.hit(keys.account),
      limits.loginPerIpAccount.hit(keys.ipAccount),
    ]);
    await audit.record({
      type: 'auth.login.failure',
      actor: user ? { type: 'user', id: user.id, name: user.username } : { type: 'anonymous', id: null, name: keys.account },
      ip: req.ip,
      userAgent: req.userAgent,
      target: user ? { type: 'user', id: user.id, name: user.username } : null,
      outcome: 'failure',
      details: { reason },
    });
    const names = ['ip', 'account', 'ip_account'] as const;
    for (const [i, r] of results.entries()) {
      if (r.firstBlock) {
        await audit.record({
          type: 'auth.rate_limited',
          actor: { type: 'anonymous', id: null, name: keys.account },
          ip: req.ip,
          userAgent: req.userAgent,
          target: user ? { type: 'user', id: user.id, name: user.username } : null,
          outcome: 'denied',
          details: { limiter: `login_${names[i]}`, retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) },
        });
      }
    }
    throw invalidCredentials();
  }

  return {
    /** Checks the password; returns the user and grants, or throws 401/403/429. Never says whether the user exists. */
    async login(req: LoginRequest): Promise<{ user: UserRow; grants: Grants }> {
      const keys = keysFor(req);
      const waits = await Promise.all([
        limits.loginPerIp.blockedFor(keys.ip),
        limits.loginPerAccount.blockedFor(keys.account),
        limits.loginPerIpAccount.blockedFor(keys.ipAccount),
      ]);
      const wait = Math.max(...waits);
      if (wait > 0) throw tooManyRequests(wait / 1000, 'Too many failed logins. Try again later.');

      const user = await users.findForLogin(req.login);
      // SECURITY: an unknown user costs one argon2 verification too, so timing does not reveal which accounts exist.
      const ok = user ? await hasher.verify(user.password_hash, req.password) : await hasher.verifyDummy(req.password);
      if (!user) return fail(req, 'unknown_user', undefined);
      if (!ok) return fail(req, 'wrong_password', user);
      if (user.disabled) return fail(req, 'account_disabled', user);

      const grants = await users.grantsOf(user.id);
      if (grants.global.has('admin') && !(await allowlist.isAllowed(req.ip))) {
        await audit.record({
          type: 'auth.login.failure',
          actor: { type: 'user', id: user.id, name: user.username },
          ip: req.ip,
          userAgent: req.userAgent,
          target: { type: 'user', id: user.id, name: user.username },
          outcome: 'denied',
          details: { reason: 'ip_not_allowed' },
        });
        throw forbidden('ip_not_allowed', 'Administrators may not sign in from this address.');
      }
      await limits.loginPerIpAccount.reset(keys.ipAccount);
      if (hasher.needsRehash(user.password_hash)) await users.rehash(user.id, req.password);
      await users.recordLogin(user.id, req.ip);
      return { user, grants };
    },
  };
}
