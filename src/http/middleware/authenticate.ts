// Resolves the actor of a request from its session (bearer tokens plug in here), enforcing disabled accounts, session rotation and the 2FA policy.
import type { Next } from 'koa';
import type { Actor } from '../../auth/permissions.ts';
import type { SessionInfo } from '../../auth/sessions.service.ts';
import { policyCovers, type TwoFactorLevel, type TwoFactorPolicy } from '../../auth/two-factor.policy.ts';
import type { Principal, UsersService } from '../../auth/users.service.ts';
import { AppError } from '../../shared/errors.ts';
import type { AppContext, AppMiddleware } from '../context.ts';
import type { Session } from './session.ts';

export type BearerResolver = (token: string, ctx: AppContext) => Promise<Actor | null>;

export const authenticate = (deps: { users: UsersService; policy: TwoFactorPolicy; bearer?: BearerResolver }): AppMiddleware =>
  (ctx, next) => {
    const authz = ctx.get('Authorization');
    if (authz) return withBearer(deps.bearer, authz, ctx, next);
    const data = ctx.session;
    const info = ctx.state.session;
    if (!data?.uid || !info) return next();
    // The signed-in user and the policy are almost always cached: no waiting then.
    const cached = deps.users.cachedPrincipal(data.uid);
    const level = deps.policy.peek();
    if (cached && level) {
      admit(ctx, data, info, cached, level);
      return next();
    }
    return Promise.all([deps.users.principal(data.uid), deps.policy.effective()]).then(([principal, effective]) => {
      admit(ctx, data, info, principal, effective);
      return next();
    });
  };

/** Signs the session's user in for this request, unless the account went away or was disabled after the session began. */
function admit(ctx: AppContext, data: Session, info: SessionInfo, principal: Principal | null, level: TwoFactorLevel): void {
  if (!principal || principal.row.disabled) {
    ctx.session = null;
    ctx.state.session = null;
    return;
  }
  if (info.rotate) {
    // SECURITY: the user's privileges changed since login; issue a new session id before honouring the request.
    data.regenerate();
  }
  const { actor } = principal;
  ctx.state.authMethod = 'session';
  // SECURITY: checked on every request, not only at login, so raising the policy reaches sessions already open.
  ctx.state.caller = { ...ctx.state.caller, actor };
  // SECURITY: a lockdown's password change comes first, then the 2FA policy; until then only those steps are open.
  if (principal.row.password_reset_required) {
    ctx.state.enrolling = actor;
    ctx.state.restriction = 'password_change';
  } else if (!principal.twoFactor && policyCovers(level, principal.grants)) {
    ctx.state.enrolling = actor;
    ctx.state.restriction = 'two_factor_setup';
  } else ctx.state.actor = actor;
}

async function withBearer(resolve: BearerResolver | undefined, authz: string, ctx: AppContext, next: Next): Promise<void> {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(authz);
  const actor = match && resolve ? await resolve(match[1] as string, ctx) : null;
  if (!actor) {
    ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    throw new AppError(401, 'invalid_token', 'The access token is invalid, expired or revoked.');
  }
  ctx.state.actor = actor;
  ctx.state.authMethod = 'bearer';
  ctx.state.caller = { ...ctx.state.caller, actor };
  await next();
}
