// API rate limits per client address (before any session work) and per signed-in principal: 429 with Retry-After, no global bucket.
import type { Limiter } from '../../auth/rate-limits.ts';
import type { AuditService } from '../../audit/index.ts';
import { auditFrom } from '../../auth/caller.ts';
import { tooManyRequests } from '../../shared/errors.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

type Deps = { limiter: Limiter; audit: AuditService; name: string; key: (ctx: AppContext) => string | null };

export const apiRateLimit = (deps: Deps): AppMiddleware => (ctx, next) => {
  const key = deps.key(ctx);
  if (key === null) return next();
  return deps.limiter.hit(key).then((r) => (r.blocked ? refuse(deps, ctx, r) : next()));
};

async function refuse(deps: Deps, ctx: AppContext, r: { firstBlock: boolean; retryAfterMs: number }): Promise<never> {
  // One audit event when a key crosses its limit, not one per refused request.
  if (r.firstBlock) {
    await deps.audit.record({ type: 'api.rate_limited', ...auditFrom(ctx.state.caller), outcome: 'denied', details: { limiter: deps.name, retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) } });
  }
  throw tooManyRequests(r.retryAfterMs / 1000);
}
