// Password login: rate limits per address and per account, one answer for unknown users and wrong passwords, the admin allowlist.
import type { AuditService } from '../audit/index.ts';
import { addressKey } from '../shared/cidr.ts';
import { AppError, forbidden, tooManyRequests } from '../shared/errors.ts';
import type { AllowlistService } from './allowlist.service.ts';
import type { PasswordHasher } from './password.hasher.ts';
import type { Grants } from './permissions.ts';
import type { RateLimits } from './rate-limits.ts';
import type { UsersService } from './users.service.ts';
import type { UserRow } from './users.rows.ts';

export type LoginRequest = { login: string; password: string; ip: string; userAgent: string | null };

export type LoginService = ReturnType<typeof createLoginService>;

const MAX_IN_FLIGHT_PER_IP = 8;

/** The per-address-and-account limiter key of an existing user; password re-checks share it with logins. */
export const ipAccountKey = (ip: string, userId: string): string => `${addressKey(ip)}|id:${userId}`;

export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Invalid username or password.');

export function createLoginService(deps: {
  users: UsersService;
  hasher: PasswordHasher;
  limits: RateLimits;
  allowlist: AllowlistService;
  audit: AuditService;
  /** Maintenance mode after a lockdown: only administrators may sign in. */
  maintenance?: () => Promise<boolean>;
}) {
  const { users, hasher, limits, allowlist, audit } = deps;

  // An existing account is keyed by its id, so its username and e-mail share one budget of attempts.
  const keysFor = (req: LoginRequest, user: UserRow | undefined) => {
    const account = user ? `id:${user.id}` : `name:${req.login.trim().toLowerCase().slice(0, 254)}`;
    const ip = addressKey(req.ip);
    return { ip, account, ipAccount: user ? ipAccountKey(req.ip, user.id) : `${ip}|${account}` };
  };

  const loginName = (req: LoginRequest) => req.login.trim().toLowerCase().slice(0, 254);

  const recordFailure = (req: LoginRequest, reason: string, user: UserRow | undefined, outcome: 'failure' | 'denied') =>
    audit.record({
      type: 'auth.login.failure',
      actor: user ? { type: 'user', id: user.id, name: user.username } : { type: 'anonymous', id: null, name: loginName(req) },
      ip: req.ip,
      userAgent: req.userAgent,
      target: user ? { type: 'user', id: user.id, name: user.username } : null,
      outcome,
      details: { reason },
    });

  async function fail(req: LoginRequest, reason: string, user: UserRow | undefined): Promise<never> {
    await recordFailure(req, reason, user, 'failure');
    throw invalidCredentials();
  }

  /**
   * Counts the attempt on every limiter before any password is checked, so a burst of concurrent guesses cannot all
   * pass the check before the first failure is counted. N points allow N attempts per window; a success gives its
   * point back.
   */
  async function admit(req: LoginRequest, user: UserRow | undefined): Promise<void> {
    const keys = keysFor(req, user);
    const waits = await Promise.all([
      limits.loginPerIp.blockedFor(keys.ip),
      limits.loginPerAccount.blockedFor(keys.account),
      limits.loginPerIpAccount.blockedFor(keys.ipAccount),
    ]);
    const wait = Math.max(...waits);
    if (wait > 0) throw tooManyRequests(wait / 1000, 'Too many failed logins. Try again later.');
    const results = await Promise.all([
      limits.loginPerIp.hit(keys.ip),
      limits.loginPerAccount.hit(keys.account),
      limits.loginPerIpAccount.hit(keys.ipAccount),
    ]);
    const names = ['ip', 'account', 'ip_account'] as const;
    for (const [i, r] of results.entries()) {
      if (r.firstBlock) {
        await audit.record({
          type: 'auth.rate_limited',
          actor: { type: 'anonymous', id: null, name: loginName(req) },
          ip: req.ip,
          userAgent: req.userAgent,
          target: user ? { type: 'user', id: user.id, name: user.username } : null,
          outcome: 'denied',
          details: { limiter: `login_${names[i]}`, retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) },
        });
      }
    }
    const blocked = Math.max(...results.map((r) => (r.blocked ? r.retryAfterMs : 0)));
    if (blocked > 0) throw tooManyRequests(blocked / 1000, 'Too many failed logins. Try again later.');
  }

  // SECURITY: one address can only have a few logins waiting for the hasher, so it cannot fill the queue for everyone.
  const inFlight = new Map<string, number>();

  async function check(req: LoginRequest, user: UserRow | undefined): Promise<{ user: UserRow; grants: Grants }> {
    // SECURITY: in maintenance mode everyone but administrators is refused alike, whatever the password and whether
    // the account exists (after the same one argon2 verification), so the refusal tells an attacker nothing.
    if (deps.maintenance && (await deps.maintenance()) && !(user && (await users.grantsOf(user.id)).global.has('admin'))) {
      await hasher.verifyDummy(req.password);
      // Not a guess at the password (it was not looked at): the account's attempts are given back, so nobody locks a
      // user out meanwhile; the address's stay counted, so one address cannot make the panel hash without end.
      const keys = keysFor(req, user);
      await Promise.all([limits.loginPerIpAccount.refund(keys.ipAccount), limits.loginPerAccount.refund(keys.account)]);
      await recordFailure(req, 'maintenance', user, 'denied');
      throw forbidden('maintenance_mode', 'The panel is in maintenance mode after a security incident: only administrators may sign in for now.');
    }
    // SECURITY: an unknown user costs one argon2 verification too, so timing does not reveal which accounts exist.
    const ok = user ? await hasher.verify(user.password_hash, req.password) : await hasher.verifyDummy(req.password);
    if (!user) return fail(req, 'unknown_user', undefined);
    if (!ok) return fail(req, 'wrong_password', user);
    if (user.disabled) return fail(req, 'account_disabled', user);

    const grants = await users.grantsOf(user.id);
    if (grants.global.has('admin') && !(await allowlist.isAllowed(req.ip))) {
      await recordFailure(req, 'ip_not_allowed', user, 'denied');
      throw forbidden('ip_not_allowed', 'Administrators may not sign in from this address.');
    }

    const keys = keysFor(req, user);
    await Promise.all([limits.loginPerIpAccount.reset(keys.ipAccount), limits.loginPerIp.refund(keys.ip), limits.loginPerAccount.refund(keys.account)]);
    if (hasher.needsRehash(user.password_hash)) await users.rehash(user.id, req.password);
    return { user, grants };
  }

  return {
    /**
     * Checks the password; returns the user and grants, or throws 401/403/429. Never says whether the user exists.
     * The sign-in is not complete yet: a second factor may follow.
     */
    async login(req: LoginRequest): Promise<{ user: UserRow; grants: Grants }> {
      const from = addressKey(req.ip);
      const pending = inFlight.get(from) ?? 0;
      if (pending >= MAX_IN_FLIGHT_PER_IP) throw tooManyRequests(1, 'Too many logins in progress from your address.');
      inFlight.set(from, pending + 1);
      try {
        const user = await users.findForLogin(req.login);
        await admit(req, user);
        return await check(req, user);
      } finally {
        const left = (inFlight.get(from) ?? 1) - 1;
        if (left <= 0) inFlight.delete(from);
        else inFlight.set(from, left);
      }
    },
  };
}
