// The per-request state every middleware and route shares, and the Koa types built on it.
import type { Context, Next, ParameterizedContext } from 'koa';
import type { Actor } from '../auth/permissions.ts';
import type { Caller } from '../auth/caller.ts';
import type { SessionInfo } from '../auth/sessions.service.ts';
import type { Session } from './middleware/session.ts';

export type AppState = {
  requestId: string;
  /** The client address, after trusted-proxy resolution. */
  ip: string;
  /** Whether the client reached us over HTTPS (directly or through a trusted proxy). */
  secure: boolean;
  actor: Actor | null;
  /**
   * A signed-in user whom the 2FA policy covers but who has no second factor yet: not an actor, so only the routes
   * that set 2FA up are open to them.
   */
  enrolling: Actor | null;
  /** Why `enrolling` is set: 2FA must be set up (the policy), or a new password chosen (after a lockdown). */
  restriction: 'two_factor_setup' | 'password_change' | null;
  /** How the actor authenticated: a browser session cookie or a bearer token. */
  authMethod: 'session' | 'bearer' | null;
  session: SessionInfo | null;
  /** The secret session id of this request, known only after the session middleware ran. */
  sessionKey: string | null;
  caller: Caller;
  /** The matched route's template, for the access log. */
  route?: string;
};

export type AppContext = ParameterizedContext<AppState> & Context & {
  /** The browser session (an empty one when the request has none); null once ended. Set by the session middleware. */
  session: Session | null;
};
export type AppMiddleware = (ctx: AppContext, next: Next) => Promise<void> | void;

export const isApiPath = (path: string): boolean => path === '/api' || path.startsWith('/api/');
/** The OAuth2 endpoints (/oauth2/token and its revocation and introspection). */
export const isOAuthPath = (path: string): boolean => path === '/oauth2' || path.startsWith('/oauth2/');
