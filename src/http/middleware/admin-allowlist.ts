// Anyone holding the admin scope may use the panel only from the admin IP allowlist; others are not affected.
import type { Next } from 'koa';
import type { AllowlistService } from '../../auth/allowlist.service.ts';
import type { AuditService } from '../../audit/index.ts';
import { auditFrom } from '../../auth/caller.ts';
import { forbidden } from '../../shared/errors.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

export const adminAllowlist = (deps: { allowlist: AllowlistService; audit: AuditService }): AppMiddleware => (ctx, next) =>
  (ctx.state.actor ?? ctx.state.enrolling)?.grants.global.has('admin') ? checkAdmin(deps, ctx, next) : next();

async function checkAdmin(deps: { allowlist: AllowlistService; audit: AuditService }, ctx: AppContext, next: Next): Promise<void> {
  if (!(await deps.allowlist.isAllowed(ctx.state.ip))) {
    await deps.audit.record({
      type: 'auth.ip_not_allowed',
      ...auditFrom(ctx.state.caller),
      target: { type: 'route', id: null, name: `${ctx.method} ${ctx.path}`.slice(0, 254) },
      outcome: 'denied',
      details: { method: ctx.method, path: ctx.path.slice(0, 200) },
    });
    throw forbidden('ip_not_allowed', 'Administrative access is not allowed from your IP address.');
  }
  await next();
}
