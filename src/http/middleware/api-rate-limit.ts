// API rate limits per client address (before any session work) and per signed-in user or API client: 429 with Retry-After, no global bucket.
import type { Limiter } from '../../auth/rate-limits.ts';
import type { AuditService } from '../../audit/index.ts';
import { auditFrom } from '../../auth/caller.ts';
import { tooManyRequests } from '../../shared/errors.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

/** The limit a request counts against: its limiter, the name audited when it trips, and the key; null for none. */
export type LimitChoice = { limiter: Limiter; name: string; key: string } | null;

export const apiRateLimit = (deps: { audit: AuditService; pick: (ctx: AppContext) => LimitChoice }): AppMiddleware => (ctx, next) => {
  const choice = deps.pick(ctx);
  if (choice === null) return next();
  return choice.limiter.hit(choice.key).then((r) => (r.blocked ? refuse(deps.audit, choice.name, ctx, r) : next()));
};

async function refuse(audit: AuditService, name: string, ctx: AppContext, r: { firstBlock: boolean; retryAfterMs: number }): Promise<never> {
  // One audit event when a key crosses its limit, not one per refused request.
  if (r.firstBlock) {
    await audit.record({ type: 'api.rate_limited', ...auditFrom(ctx.state.caller), outcome: 'denied', details: { limiter: name, retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) } });
  }
  throw tooManyRequests(r.retryAfterMs / 1000);
}
