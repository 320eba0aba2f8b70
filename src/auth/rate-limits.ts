// Every rate limit of the panel behind one module (rate-limiter-flexible, in memory; a shared store can replace it here alone).
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type LimitSpec = { points: number; durationSeconds: number; blockSeconds: number };

export type HitResult = { blocked: boolean; firstBlock: boolean; retryAfterMs: number };

const ALLOWED: HitResult = Object.freeze({ blocked: false, firstBlock: false, retryAfterMs: 0 });

export type Limiter = {
  /** Milliseconds until the key may try again, or 0 when it is not blocked. */
  blockedFor(key: string): Promise<number>;
  /** Counts one hit; returns whether this hit crossed the limit (the key is now blocked) and for how long. */
  hit(key: string): Promise<HitResult>;
  /** Gives one point back (an attempt that turned out legitimate). */
  refund(key: string): Promise<void>;
  reset(key: string): Promise<void>;
};

const MAX_BLOCK_SECONDS = 24 * 3600;

/**
 * A limiter with growing back-off: each time a key is blocked again within a day, its block lasts twice as long
 * (fail2ban's bantime.increment), up to 24 hours.
 */
export function createLimiter(name: string, spec: LimitSpec): Limiter {
  const counter = new RateLimiterMemory({ keyPrefix: name, points: spec.points, duration: spec.durationSeconds });
  const blocks = new RateLimiterMemory({ keyPrefix: `${name}:blocks`, points: 64, duration: 24 * 3600 });
  const blockedUntil = new Map<string, number>();

  const remaining = (key: string): number => {
    const until = blockedUntil.get(key);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left <= 0) {
      blockedUntil.delete(key);
      return 0;
    }
    return left;
  };

  /** The hit that crossed the limit (or came while blocked): how long the key must wait, with back-off. */
  async function refused(key: string, res: unknown): Promise<HitResult> {
    if (!(res instanceof RateLimiterRes)) throw res;
    const already = remaining(key);
    if (already > 0) return { blocked: true, firstBlock: false, retryAfterMs: already };
    if (spec.blockSeconds === 0) return { blocked: true, firstBlock: res.consumedPoints === spec.points + 1, retryAfterMs: res.msBeforeNext };
    const n = (await blocks.penalty(key, 1)).consumedPoints;
    const seconds = Math.min(MAX_BLOCK_SECONDS, spec.blockSeconds * 2 ** Math.min(20, n - 1));
    blockedUntil.set(key, Date.now() + seconds * 1000);
    await counter.delete(key);
    // Keep the map bounded under a flood of distinct keys: forget blocks that have ended.
    if (blockedUntil.size > 100_000) for (const k of blockedUntil.keys()) remaining(k);
    return { blocked: true, firstBlock: true, retryAfterMs: seconds * 1000 };
  }

  return {
    async blockedFor(key) {
      const own = remaining(key);
      if (own > 0) return own;
      const res = await counter.get(key);
      return res && res.consumedPoints > spec.points ? res.msBeforeNext : 0;
    },
    hit(key) {
      return counter.consume(key, 1).then(
        () => ALLOWED,
        (res: unknown) => refused(key, res),
      );
    },
    async refund(key) {
      if (remaining(key) === 0) await counter.reward(key, 1);
    },
    async reset(key) {
      blockedUntil.delete(key);
      await counter.delete(key);
    },
  };
}

export type RateLimits = {
  loginPerIp: Limiter;
  loginPerAccount: Limiter;
  loginPerIpAccount: Limiter;
  apiPerIp: Limiter;
  apiPerPrincipal: Limiter;
  twoFactorPerAccount: Limiter;
  twoFactorPerIp: Limiter;
  apiPerClient: Limiter;
  oauthFailuresPerIp: Limiter;
  oauthFailuresPerClient: Limiter;
};

export function createRateLimits(config: Record<keyof RateLimits, LimitSpec>): RateLimits {
  return {
    loginPerIp: createLimiter('login-ip', config.loginPerIp),
    loginPerAccount: createLimiter('login-account', config.loginPerAccount),
    loginPerIpAccount: createLimiter('login-ip-account', config.loginPerIpAccount),
    apiPerIp: createLimiter('api-ip', config.apiPerIp),
    apiPerPrincipal: createLimiter('api-principal', config.apiPerPrincipal),
    twoFactorPerAccount: createLimiter('2fa-account', config.twoFactorPerAccount),
    twoFactorPerIp: createLimiter('2fa-ip', config.twoFactorPerIp),
    apiPerClient: createLimiter('api-client', config.apiPerClient),
    oauthFailuresPerIp: createLimiter('oauth-ip', config.oauthFailuresPerIp),
    oauthFailuresPerClient: createLimiter('oauth-client', config.oauthFailuresPerClient),
  };
}
