// The Koa application: security middleware in front of every request, then the API routers and the web UI.
import Koa from 'koa';
import compose from 'koa-compose';
import type { Logger } from '../shared/logger.ts';
import { addressKey } from '../shared/cidr.ts';
import { AppError, forbidden, notFound } from '../shared/errors.ts';
import { isApiPath, isOAuthPath, type AppContext, type AppMiddleware, type AppState } from './context.ts';
import { adminAllowlist } from './middleware/admin-allowlist.ts';
import { apiRateLimit } from './middleware/api-rate-limit.ts';
import { authenticate } from './middleware/authenticate.ts';
import { envelope } from './middleware/envelope.ts';
import { prepareRequest } from './middleware/prepare.ts';
import { sessionMiddleware } from './middleware/session.ts';
import { OAUTH_INTERACTION_PATH, oauthMethodsAt } from '../oauth/index.ts';
import { buildOpenApi } from './openapi.ts';
import { defineRoute, type AnyRoute } from './route.ts';
import { buildRouter, type RouteTable } from './router.ts';
import { alertsRoutes } from './routes/alerts.routes.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { clientsRoutes } from './routes/clients.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { meRoutes } from './routes/me.routes.ts';
import { monitorRoutes } from './routes/monitor.routes.ts';
import { resourcesRoutes } from './routes/resources.routes.ts';
import { serversRoutes } from './routes/servers.routes.ts';
import { filesRoutes } from './routes/files.routes.ts';
import { sftpCredentialsRoutes } from './routes/sftp-credentials.routes.ts';
import { rolesRoutes } from './routes/roles.routes.ts';
import { settingsRoutes } from './routes/settings.routes.ts';
import { setupRoutes } from './routes/setup.routes.ts';
import { twoFactorRoutes } from './routes/two-factor.routes.ts';
import { usersRoutes } from './routes/users.routes.ts';
import type { Services } from './services.ts';
import { serveUi } from './static.ts';
import { backupsRoutes } from './routes/backups.routes.ts';
import { checklistRoutes } from './routes/checklist.routes.ts';
import { lockdownRoutes } from './routes/lockdown.routes.ts';
import { gatusRoutes, uptimeRoutes } from './routes/gatus.routes.ts';
import { serverBackupsRoutes } from './routes/server-backups.routes.ts';

export const API_PREFIX = '/api/v1';

export type HttpOptions = {
  trustedProxies: readonly string[];
  publicUrl: string | undefined;
  bodyLimitBytes: number;
  sameSite: 'strict' | 'lax';
  uiRoot: string;
  version: string;
};

/** Every route the panel serves, by mount prefix: used by the app, the OpenAPI document and the route-scope test. */
export function allRoutes(s: Services, version: string): Array<{ prefix: string; routes: AnyRoute[] }> {
  const api: AnyRoute[] = [
    ...setupRoutes(s),
    ...authRoutes(s),
    ...meRoutes(s),
    ...usersRoutes(s),
    ...rolesRoutes(s),
    ...auditRoutes(s),
    ...settingsRoutes(s),
    ...twoFactorRoutes(s),
    ...clientsRoutes(s),
    ...monitorRoutes(s),
    ...alertsRoutes(s),
    ...resourcesRoutes(s),
    ...serversRoutes(s),
    ...filesRoutes(s),
    ...sftpCredentialsRoutes(s),
    ...backupsRoutes(s),
    ...lockdownRoutes(s),
    ...checklistRoutes(s),
    ...serverBackupsRoutes(s),
    ...uptimeRoutes(s),
  ];
  const mounted = [
    { prefix: '', routes: [...healthRoutes(s), ...gatusRoutes(s)] },
    { prefix: API_PREFIX, routes: api },
  ];
  let doc: Record<string, unknown> | null = null;
  api.push(
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API\'s OpenAPI 3.1 document, generated from the route declarations.',
      tag: 'meta',
      access: { public: true },
      responses: { 200: { description: 'OpenAPI document' } },
      handler: (ctx) => {
        doc ??= buildOpenApi(mounted, version);
        ctx.body = doc;
      },
    }),
  );
  return mounted;
}

export function createApp(s: Services, logger: Logger, opts: HttpOptions): Koa<AppState> {
  const app = new Koa<AppState>();
  // SECURITY: Koa's own proxy trust is off; client-ip.ts believes forwarding headers from configured proxies only.
  app.proxy = false;
  // Signed cookies are the OAuth2 provider's only (its sign-in steps, which run inside this app): its keys.
  app.keys = s.oauth.cookieKeys;
  app.on('error', (err: unknown) => logger.debug({ err }, 'connection error'));

  const mounted = allRoutes(s, opts.version);
  const routerDeps = { audit: s.audit, csrfKey: s.csrfKey, publicUrl: opts.publicUrl, bodyLimit: opts.bodyLimitBytes, suspendedFor: s.servers.suspendedFor };
  const routers = mounted.map(({ prefix, routes }) => buildRouter(prefix, routes, routerDeps));
  const [healthRoutes, apiRoutes] = routers as [RouteTable, RouteTable];

  const perAddress = apiRateLimit({ audit: s.audit, pick: (ctx) => ({ limiter: s.limits.apiPerIp, name: 'api_ip', key: addressKey(ctx.state.ip) }) });
  const api = compose<Parameters<AppMiddleware>[0]>([
    perAddress,
    sessionMiddleware({ sessions: s.sessions, sameSite: opts.sameSite }),
    authenticate({ users: s.users, policy: s.twoFactorPolicy, bearer: (token, ctx) => s.oauth.resolveBearer(token, { ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent }) }),
    adminAllowlist({ allowlist: s.allowlist, audit: s.audit }),
    // A signed-in user counts against the per-user limit, an API client against the per-client one.
    apiRateLimit({
      audit: s.audit,
      pick: ({ state: { actor } }) =>
        actor === null
          ? null
          : actor.type === 'user'
            ? { limiter: s.limits.apiPerPrincipal, name: 'api_principal', key: `user:${actor.id}` }
            : { limiter: s.limits.apiPerClient, name: 'api_client', key: `client:${actor.id}` },
    }),
    // Nothing answered: 405 with Allow when the path exists for other methods, else 404. Decided on the way back out.
    (ctx, next) =>
      next().then(() => {
        if (ctx.status !== 404 || (ctx.body !== undefined && ctx.body !== null && ctx.body !== '')) return;
        const allowed = apiRoutes.allowedAt(ctx.path);
        if (allowed.length === 0) throw notFound('API endpoint');
        const allow = allowed.join(', ');
        throw new AppError(405, 'method_not_allowed', `Method not allowed. Allowed: ${allow}.`, { headers: { Allow: allow } });
      }),
    apiRoutes.middleware,
  ] as AppMiddleware[]);

  // The status page's sign-in step: the panel's session decides who is signed in (a full sign-in, 2FA done).
  const interaction = compose<Parameters<AppMiddleware>[0]>([
    sessionMiddleware({ sessions: s.sessions, sameSite: opts.sameSite }),
    authenticate({ users: s.users, policy: s.twoFactorPolicy }),
    (ctx) => {
      const actor = ctx.state.actor;
      return s.oauth.interaction(ctx, actor?.type === 'user' && ctx.state.authMethod === 'session' ? { id: actor.id, name: actor.name } : null);
    },
  ] as AppMiddleware[]);

  // The OAuth2 endpoints: the per-address API limit, then the provider (which limits failed client authentications).
  const oauth = compose<Parameters<AppMiddleware>[0]>([
    perAddress,
    (ctx, next) => (ctx.method === 'GET' && ctx.path.startsWith(`${OAUTH_INTERACTION_PATH}/`) ? interaction(ctx, next) : next()),
    (ctx, next) => s.oauth.serve(ctx, next),
    (ctx) => {
      const allowed = oauthMethodsAt(ctx.path);
      if (allowed.length === 0) throw notFound('OAuth2 endpoint');
      throw new AppError(405, 'method_not_allowed', `Method not allowed. Allowed: ${allowed.join(', ')}.`, { headers: { Allow: allowed.join(', ') } });
    },
  ] as AppMiddleware[]);

  const site = compose<Parameters<AppMiddleware>[0]>([
    healthRoutes.middleware,
    serveUi(opts.uiRoot),
    () => {
      throw notFound('Page');
    },
  ] as AppMiddleware[]);

  app.use(prepareRequest(opts.trustedProxies) as unknown as Koa.Middleware<AppState>);
  // Every answer, refused ones included, goes to the security monitor as an http.request event.
  const observe = (ctx: AppContext): void =>
    s.monitor.feed({
      ts: s.clock.now(),
      source: 'panel',
      event: 'http.request',
      ip: ctx.state.ip,
      user: ctx.state.actor?.name ?? null,
      service: 'http',
      http: { method: ctx.method, path: ctx.path, status: ctx.status, bytes: 0, userAgent: ctx.state.caller.userAgent },
      fields: { actorType: ctx.state.actor?.type ?? null, actorId: ctx.state.actor?.id ?? null },
    });
  app.use(envelope(logger, observe) as Koa.Middleware<AppState>);
  // SECURITY: a banned address gets nothing but 403, on every path, before any other work.
  app.use(((ctx: AppContext, next: Koa.Next) => {
    if (s.bans.isBanned(ctx.state.ip)) throw forbidden('ip_banned', 'Your address is banned for suspicious activity.');
    return next();
  }) as unknown as Koa.Middleware<AppState>);
  app.use(((ctx: AppContext, next: Koa.Next) => (isApiPath(ctx.path) ? api(ctx, next) : isOAuthPath(ctx.path) ? oauth(ctx, next) : site(ctx, next))) as unknown as Koa.Middleware<AppState>);
  return app;
}
