// API rate limits per client address (before any session work) and per signed-in principal: 429 with Retry-After, no global bucket.
import type { Limiter } from '../../auth/rate-limits.ts';
import type { AuditService } from '../../audit/index.ts';
import { auditFrom } from '../../auth/caller.ts';
import { tooManyRequests } from '../../shared/errors.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

export const apiRateLimit = (deps: { limiter: Limiter; audit: AuditService; name: string; key: (ctx: AppContext) => string | null }): AppMiddleware =>
  async (ctx, next) => {
    const key = deps.key(ctx);
    if (key !== null) {
      const r = await deps.limiter.hit(key);
      if (r.blocked) {
        if (r.firstBlock) {
          await deps.audit.record({ type: 'api.rate_limited', ...auditFrom(ctx.state.caller), outcome: 'denied', details: { limiter: deps.name, retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) } });
        }
        throw tooManyRequests(r.retryAfterMs / 1000);
      }
    }
    await next();
  };
