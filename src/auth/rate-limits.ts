// Every rate limit of the panel behind one module (rate-limiter-flexible): in memory, or in Redis when several panels
// (replicas) must count together (redis.url / AETHER_REDIS_URL).
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

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
/** Where the counters live: this process's memory, or a Redis every replica shares (with a key prefix). */
export type LimitStore = { redis: Redis; prefix: string } | null;

/**
 * A counter in the store. In Redis it falls back to this process's memory while Redis does not answer, so an outage
 * keeps every limit in force per replica instead of opening the gates.
 */
function counterIn(store: LimitStore, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!store) return memory;
  return new RateLimiterRedis({ storeClient: store.redis, keyPrefix: `${store.prefix}:${keyPrefix}`, points, duration, insuranceLimiter: memory });
}

export function createLimiter(name: string, spec: LimitSpec, store: LimitStore = null): Limiter {
  const counter = counterIn(store, name, spec.points, spec.durationSeconds);
  const blocks = counterIn(store, `${name}:blocks`, 64, 24 * 3600);
  // The keys blocked with back-off, until when: one point spent blocks the key (block() sets how long).
  const blocked = counterIn(store, `${name}:blocked`, 1, MAX_BLOCK_SECONDS);

  async function remaining(key: string): Promise<number> {
    const res = await blocked.get(key);
    return res && res.consumedPoints > 1 ? res.msBeforeNext : 0;
  }

  /** The hit that crossed the limit (or came while blocked): how long the key must wait, with back-off. */
  async function refused(key: string, res: unknown): Promise<HitResult> {
    if (!(res instanceof RateLimiterRes)) throw res;
    const already = await remaining(key);
    if (already > 0) return { blocked: true, firstBlock: false, retryAfterMs: already };
    if (spec.blockSeconds === 0) return { blocked: true, firstBlock: res.consumedPoints === spec.points + 1, retryAfterMs: res.msBeforeNext };
    const n = (await blocks.penalty(key, 1)).consumedPoints;
    const seconds = Math.min(MAX_BLOCK_SECONDS, spec.blockSeconds * 2 ** Math.min(20, n - 1));
    await blocked.block(key, seconds);
    await counter.delete(key);
    return { blocked: true, firstBlock: true, retryAfterMs: seconds * 1000 };
  }

  return {
    async blockedFor(key) {
      const own = await remaining(key);
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
      if ((await remaining(key)) === 0) await counter.reward(key, 1);
    },
    async reset(key) {
      await blocked.delete(key);
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

export function createRateLimits(config: Record<keyof RateLimits, LimitSpec>, store: LimitStore = null): RateLimits {
  return {
    loginPerIp: createLimiter('login-ip', config.loginPerIp, store),
    loginPerAccount: createLimiter('login-account', config.loginPerAccount, store),
    loginPerIpAccount: createLimiter('login-ip-account', config.loginPerIpAccount, store),
    apiPerIp: createLimiter('api-ip', config.apiPerIp, store),
    apiPerPrincipal: createLimiter('api-principal', config.apiPerPrincipal, store),
    twoFactorPerAccount: createLimiter('2fa-account', config.twoFactorPerAccount, store),
    twoFactorPerIp: createLimiter('2fa-ip', config.twoFactorPerIp, store),
    apiPerClient: createLimiter('api-client', config.apiPerClient, store),
    oauthFailuresPerIp: createLimiter('oauth-ip', config.oauthFailuresPerIp, store),
    oauthFailuresPerClient: createLimiter('oauth-client', config.oauthFailuresPerClient, store),
  };
}
