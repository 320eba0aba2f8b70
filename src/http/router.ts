// Mounts declared routes: each is a pipeline of access check, CSRF check, input validation and the handler.
import Router from '@koa/router';
import type { Next } from 'koa';
import type { AuditService } from '../audit/index.ts';
import { auditFrom } from '../auth/caller.ts';
import { can, type Actor } from '../auth/permissions.ts';
import { AppError, forbidden, unauthenticated } from '../shared/errors.ts';
import type { AppContext } from './context.ts';
import { readJsonBody } from './middleware/body.ts';
import { checkCsrf, checkOrigin } from './middleware/csrf.ts';
import type { AnyRoute } from './route.ts';
import { parseInput } from './validation.ts';

export type RouterDeps = {
  audit: AuditService;
  csrfKey: Buffer;
  publicUrl: string | undefined;
  bodyLimit: number;
  /** Whether a server is suspended for this actor: then only server.view is left of the per-server scopes. */
  suspendedFor?: (actor: Actor, serverId: string) => Promise<boolean>;
};

/**
 * Returns nothing when the request may use the route at once; otherwise throws, or returns a promise to await first
 * (a refusal, which is audited, or the suspension check of a server).
 */
function checkAccess(ctx: AppContext, route: AnyRoute, deps: RouterDeps): Promise<void> | undefined {
  const access = route.access;
  if ('public' in access) return undefined;
  const actor = ctx.state.actor;
  if (!actor) {
    if (ctx.state.enrolling) {
      if (ctx.state.restriction === 'password_change') {
        if ('authenticated' in access && access.passwordChange) return undefined;
        throw forbidden('password_change_required', 'Choose a new password first: an administrator requires it after a security incident.');
      }
      if ('authenticated' in access && access.enrolment) return undefined;
      throw forbidden('two_factor_setup_required', 'Your account must use two-factor authentication. Set it up first.');
    }
    if (ctx.session?.mfa) throw new AppError(401, 'second_factor_required', 'Enter the code from your authenticator app to finish signing in.');
    throw unauthenticated();
  }
  if ('authenticated' in access) return undefined;
  const serverId = access.serverParam ? (ctx.params as Record<string, string>)[access.serverParam] : undefined;
  if (!can(actor, access.scope, serverId)) return refuse(ctx, access.scope, serverId, route, deps.audit);
  // A suspended server shows what it is (server.view) and nothing more, but to those who may suspend servers.
  if (serverId === undefined || access.scope === 'server.view' || !deps.suspendedFor) return undefined;
  return deps.suspendedFor(actor, serverId).then((suspended) => (suspended ? refuse(ctx, access.scope, serverId, route, deps.audit, 'server_suspended') : undefined));
}

async function refuse(ctx: AppContext, scope: string, serverId: string | undefined, route: AnyRoute, audit: AuditService, reason?: 'server_suspended'): Promise<never> {
  await audit.record({
    type: 'auth.permission_denied',
    ...auditFrom(ctx.state.caller),
    target: serverId ? { type: 'server', id: serverId, name: null } : null,
    outcome: 'denied',
    details: { scope, method: ctx.method, route: route.path, ...(reason ? { reason } : {}) },
  });
  if (reason) throw forbidden('server_suspended', 'This server is suspended: its files, console, SFTP and power are closed until an administrator unsuspends it.');
  throw forbidden('forbidden', `You need the "${scope}" permission for this.`);
}

/** The routes under one prefix: Koa middleware that runs the matching one, and what a 404/405 answer needs to know. */
export type RouteTable = {
  middleware: (ctx: AppContext, next: Next) => Promise<void>;
  /** Methods some route serves at this path: the Allow header of a 405 (empty when no route has the path). */
  allowedAt(path: string): string[];
  /** Every mounted route, as the router holds it. */
  layers: Array<{ methods: string[]; path: string | RegExp }>;
};

/** The first two segments of a path below its prefix, lower-cased. */
function firstTwo(path: string): [string, string | undefined] {
  const [, first = '', second] = path.toLowerCase().split('/');
  return [first, second];
}

/** The table key of a route: its first path segment, and its second too when that one is fixed (/users/me, /auth/login). */
function routeKey(path: string): string {
  const [first, second] = firstTwo(path);
  return second && !second.startsWith(':') ? `${first}/${second}` : first;
}

/**
 * One @koa/router per route key (/users, /users/me, /roles, /auth/login, ...), picked by map lookups: a request is
 * matched against the few routes of its resource instead of every route of the API. A path is looked up by its first
 * two segments, then by its first one. Within a router the most specific route wins, as OpenAPI path templating says.
 */
export function buildRouter(prefix: string, routes: readonly AnyRoute[], deps: RouterDeps): RouteTable {
  const routers = new Map<string, Router>();
  for (const route of routes) {
    const key = routeKey(route.path);
    if (key === '' || key.startsWith(':')) throw new Error(`route ${route.method} ${route.path} must start with a fixed path segment`);
    let router = routers.get(key);
    if (!router) routers.set(key, (router = new Router({ prefix, exclusive: 'specificity' })));
    mount(router, prefix, route, deps);
  }
  const dispatch = new Map([...routers].map(([key, router]) => [key, router.routes() as unknown as RouteTable['middleware']]));
  // The key of the table entry that serves a request path, if any.
  const keyOf = (path: string): string | undefined => {
    if (!path.startsWith(prefix) || path[prefix.length] !== '/') return undefined;
    const [first, second] = firstTwo(path.slice(prefix.length));
    const both = second ? `${first}/${second}` : undefined;
    return both !== undefined && routers.has(both) ? both : first;
  };
  return {
    middleware: (ctx, next) => {
      const run = dispatch.get(keyOf(ctx.path) ?? '');
      return run ? run(ctx, next) : next();
    },
    allowedAt: (path) => {
      const router = routers.get(keyOf(path) ?? '');
      return router ? [...new Set(router.match(path, 'GET').path.flatMap((layer) => layer.methods))] : [];
    },
    layers: [...routers.values()].flatMap((router) => router.stack),
  };
}

function mount(router: Router, prefix: string, route: AnyRoute, deps: RouterDeps): void {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const label = `${route.method} ${prefix}${route.path}`;
  router[method](route.path, (ctx) => {
    const c = ctx as unknown as AppContext;
    c.state.route = label;
    // API answers are never cached; error answers get the same from the error handler.
    c.set('Cache-Control', 'no-store');
    const run = () => {
      if (route.method !== 'GET') {
        if (route.csrf === false) checkOrigin(c, deps.publicUrl, false);
        else checkCsrf(c, deps.csrfKey, deps.publicUrl);
      }
      const params = parseInput(route.params, c.params, 'params');
      const query = route.query ? parseInput(route.query, { ...c.query }, 'query') : undefined;
      const { body: schema } = route;
      if (!schema) return route.handler(c, { body: undefined, query, params });
      return readJsonBody(c, deps.bodyLimit).then((raw) => route.handler(c, { body: parseInput(schema, raw, 'body'), query, params }));
    };
    const pending = checkAccess(c, route, deps);
    return pending ? pending.then(run) : run();
  });
}
