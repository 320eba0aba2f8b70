// How a route is declared: method, path, access (a scope, or an explicit public/authenticated marker), zod schemas, handler.
import type { z } from 'zod';
import type { AppContext } from './context.ts';

/**
 * Every route must say who may call it. `scope` is checked with can(); `server` names the route parameter holding the
 * server id for per-server scopes. `authenticated` is any signed-in actor acting on their own data; with `enrolment`
 * also a user who must set up 2FA before anything else. `public` is anyone.
 */
export type Access =
  | { public: true }
  /** enrolment: open while 2FA must be set up; passwordChange: open while a new password must be chosen. */
  | { authenticated: true; enrolment?: true; passwordChange?: true }
  | { scope: string; serverParam?: string };

export type ResponseSpec = { description: string; schema?: z.ZodType };

export type RouteInput<B, Q, P> = { body: B; query: Q; params: P };

export type RouteDef<B = unknown, Q = unknown, P = unknown> = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the router prefix, in @koa/router syntax (/users/:id). */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: Record<number, ResponseSpec>;
  /** Mutating routes reached with a session cookie need the CSRF token unless this is false (login and setup, which have no session yet). */
  csrf?: boolean;
  handler: (ctx: AppContext, input: RouteInput<B, Q, P>) => Promise<void> | void;
};

// The identity function gives each route its own inferred input types.
export const defineRoute = <B = undefined, Q = undefined, P = undefined>(def: RouteDef<B, Q, P>): RouteDef<B, Q, P> => def;

export type AnyRoute = RouteDef<any, any, any>;
