// OAuth2 client credentials: clients, the oidc-provider endpoints under /oauth2, and bearer tokens for the API.
import compose from 'koa-compose';
import type { Context, Next } from 'koa';
import type { AuditService } from '../audit/index.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import type { UsersService } from '../auth/users.service.ts';
import type { Db } from '../db/index.ts';
import { addressKey } from '../shared/cidr.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { createArtifactStore } from './artifacts.store.ts';
import { createBearerResolver } from './bearer.ts';
import { createClientsService } from './clients.service.ts';
import { callerOf, createProvider, OAUTH_INTERACTION_PATH, type StatusPageSignIn } from './provider.ts';
import { STATUS_PAGE_CLIENT_ID } from '../gatus/status-access.ts';
import { AppError } from '../shared/errors.ts';

export { formatClientScope, parseClientScope } from './client-scopes.ts';
export { OAUTH_INTERACTION_PATH, type StatusPageSignIn } from './provider.ts';
export type { ClientsService, NewClient, PublicClient } from './clients.service.ts';

/** Where the OAuth2 endpoints are served: /oauth2/token, /oauth2/token/revocation, /oauth2/token/introspection. */
export const OAUTH_PREFIX = '/oauth2';

export type OAuth = ReturnType<typeof createOAuth>;

/**
 * The provider's routes the panel serves. The OpenID Connect ones (discovery, keys, the authorization endpoint and its
 * resume step) only while the status page signs people in through the panel; everything else the library has is for
 * flows the panel does not offer, so it is not reachable at all.
 */
const SERVED = new Set(['POST /token', 'POST /token/introspection', 'POST /token/revocation']);
const SIGN_IN_ROUTES = new Set(['GET /.well-known/openid-configuration', 'GET /jwks', 'GET /auth']);
const isSignInRoute = (route: string): boolean => SIGN_IN_ROUTES.has(route) || /^GET \/auth\/[A-Za-z0-9_-]{1,64}$/.test(route);

/** The methods served at an /oauth2 path (for a 405's Allow header); empty when the path is not served at all. */
export const oauthMethodsAt = (path: string): string[] => (SERVED.has(`POST ${path.slice(OAUTH_PREFIX.length)}`) ? ['POST'] : []);

/** The client id a failed token request named, from the library's context or the Basic credentials. */
function claimedClientId(ctx: Context): string | null {
  const oidc = (ctx as Context & { oidc?: { client?: { clientId?: string }; params?: { client_id?: unknown } } }).oidc;
  const fromParams = oidc?.params?.client_id;
  if (oidc?.client?.clientId) return oidc.client.clientId;
  if (typeof fromParams === 'string') return fromParams;
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(ctx.get('Authorization'));
  if (!basic) return null;
  const text = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i > 0 ? decodeURIComponent(text.slice(0, i)).slice(0, 64) : null;
}

export function createOAuth(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  users: UsersService;
  limits: RateLimits;
  logger: Logger;
  keysDir: string;
  issuer: string;
  defaultTokenTtl: number;
  maxTokenTtl: number;
  statusPage: StatusPageSignIn;
}) {
  const { audit, limits } = deps;
  const store = createArtifactStore(deps);
  const clients = createClientsService({ ...deps, store });
  const provider = createProvider({ ...deps, store, clients });
  const run = compose(provider.middleware as Parameters<typeof compose>[0]);

  /** Counts a failed client authentication; returns how long the caller must now wait (0: not blocked). */
  async function countFailure(ctx: Context): Promise<number> {
    const caller = callerOf(ctx);
    const clientId = claimedClientId(ctx);
    const results = await Promise.all([
      limits.oauthFailuresPerIp.hit(addressKey(caller.ip)),
      clientId ? limits.oauthFailuresPerClient.hit(clientId) : Promise.resolve(null),
    ]);
    await audit.record({
      type: 'oauth.token.denied',
      actor: { type: 'client', id: clientId, name: null },
      ip: caller.ip,
      userAgent: caller.userAgent,
      target: clientId ? { type: 'oauth_client', id: clientId, name: null } : null,
      outcome: 'denied',
      details: { reason: 'invalid_client', endpoint: ctx.path, blocked: results.some((r) => r?.firstBlock === true) },
    });
    return Math.max(0, ...results.map((r) => (r?.blocked ? r.retryAfterMs : 0)));
  }

  const rateLimited = (ctx: Context, waitMs: number) => {
    ctx.status = 429;
    ctx.set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
    ctx.body = { error: 'rate_limited', error_description: 'too many failed client authentications; try again later' };
  };

  return {
    clients,
    store,
    /** The keys the provider signs its cookies with; the panel's Koa app uses the same, as the provider runs inside it. */
    cookieKeys: provider.keys as string[],
    resolveBearer: createBearerResolver({ ...deps, store, clients }),
    /**
     * Serves the token, introspection and revocation endpoints under /oauth2: refuses an address that failed too
     * often, runs the provider below the prefix, and counts and audits every failed client authentication. Any other
     * path falls through to `next`.
     */
    async serve(ctx: Context, next: Next): Promise<void> {
      const route = `${ctx.method} ${ctx.path.slice(OAUTH_PREFIX.length)}`;
      if (!SERVED.has(route) && !(isSignInRoute(route) && (await deps.statusPage.enabled()))) return next();
      const caller = callerOf(ctx);
      const wait = await limits.oauthFailuresPerIp.blockedFor(addressKey(caller.ip));
      if (wait > 0) return rateLimited(ctx, wait);
      const original = ctx.path;
      ctx.path = original.slice(OAUTH_PREFIX.length);
      (ctx as Context & { mountPath?: string }).mountPath = OAUTH_PREFIX;
      // The addresses the provider writes (discovery, redirects) are https:// behind a trusted TLS proxy: the panel's
      // own reading of the request, not Koa's (whose proxy trust is off).
      Object.defineProperty(ctx.request, 'protocol', { value: (ctx.state as { secure?: boolean }).secure ? 'https' : 'http', configurable: true });
      try {
        await run(ctx);
      } finally {
        ctx.path = original;
      }
      const body = ctx.body as { error?: string } | undefined;
      if (ctx.status === 401 && body?.error === 'invalid_client') {
        // N points allow N failures: the one that uses up the last point is already answered 429.
        const blocked = await countFailure(ctx);
        if (blocked > 0) return rateLimited(ctx, blocked);
      }
      if (ctx.status === 429 && body?.error === 'rate_limited') rateLimited(ctx, await limits.oauthFailuresPerClient.blockedFor(claimedClientId(ctx) ?? ''));
    },
    /**
     * The status page's sign-in step (GET /oauth2/interaction/:uid): the provider sent the browser here; a user signed
     * in to the panel (`userId`) is signed in to the status page and sent back to the provider, anyone else to the
     * panel's sign-in page first, which returns here.
     */
    async interaction(ctx: Context, user: { id: string; name: string } | null): Promise<void> {
      const uid = ctx.path.slice(OAUTH_INTERACTION_PATH.length + 1);
      const expired = () => new AppError(400, 'sign_in_expired', 'This sign-in has expired: go back to the status page and sign in again.');
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(uid) || !(await deps.statusPage.enabled())) throw expired();
      const details = await provider.interactionDetails(ctx.req, ctx.res).catch(() => null);
      if (!details || details.uid !== uid || details.params.client_id !== STATUS_PAGE_CLIENT_ID) throw expired();
      if (!user) {
        ctx.redirect(`/login?next=${encodeURIComponent(ctx.path)}`);
        return;
      }
      const grant = new provider.Grant({ accountId: user.id, clientId: STATUS_PAGE_CLIENT_ID });
      grant.addOIDCScope('openid');
      const grantId = await grant.save();
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: user.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
      const caller = callerOf(ctx);
      await audit.record({
        type: 'status_page.sign_in',
        actor: { type: 'user', id: user.id, name: user.name },
        ip: caller.ip,
        userAgent: caller.userAgent,
        target: { type: 'oauth_client', id: STATUS_PAGE_CLIENT_ID, name: 'status page' },
        outcome: 'success',
        details: {},
      });
      ctx.status = 303;
      ctx.redirect(returnTo);
      ctx.status = 303;
    },
    purgeExpired: () => store.purgeExpired(),
  };
}
