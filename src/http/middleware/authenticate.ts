// Resolves the actor of a request from its session (bearer tokens plug in here), enforcing disabled accounts and session rotation.
import type { UsersService } from '../../auth/users.service.ts';
import { AppError } from '../../shared/errors.ts';
import type { AppMiddleware } from '../context.ts';

export type BearerResolver = (token: string, ctx: Parameters<AppMiddleware>[0]) => Promise<import('../../auth/permissions.ts').Actor | null>;

export const authenticate = (deps: { users: UsersService; bearer?: BearerResolver }): AppMiddleware =>
  async (ctx, next) => {
    const authz = ctx.get('Authorization');
    if (authz) {
      const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(authz);
      const actor = match && deps.bearer ? await deps.bearer(match[1] as string, ctx) : null;
      if (!actor) {
        ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new AppError(401, 'invalid_token', 'The access token is invalid, expired or revoked.');
      }
      ctx.state.actor = actor;
      ctx.state.authMethod = 'bearer';
      ctx.state.caller = { ...ctx.state.caller, actor };
      return next();
    }

    const data = ctx.session;
    const info = ctx.state.session;
    if (data?.uid && info) {
      const principal = deps.users.cachedPrincipal(data.uid) ?? (await deps.users.principal(data.uid));
      if (!principal || principal.row.disabled) {
        // The account went away or was disabled after this session began.
        ctx.session = null;
        ctx.state.session = null;
      } else {
        if (info.rotate) {
          // SECURITY: the user's privileges changed since login; issue a new session id before honouring the request.
          data.regenerate();
        }
        const { actor } = principal;
        ctx.state.actor = actor;
        ctx.state.authMethod = 'session';
        ctx.state.caller = { ...ctx.state.caller, actor };
      }
    }
    await next();
  };
