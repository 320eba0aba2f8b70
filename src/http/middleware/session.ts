// Browser sessions: a 256-bit random id in an HttpOnly cookie, the data in the database through the sessions service.
import type { Next } from 'koa';
import type { SessionData, SessionInfo, SessionsService } from '../../auth/sessions.service.ts';
import { newSecret } from '../../shared/ids.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

export const SECURE_COOKIE = '__Host-aether_session';
export const PLAIN_COOKIE = 'aether_session';

/**
 * A request's session as routes see it: plain data (uid, authAt, csrfSalt), saved after the request when it changed.
 * `ctx.session = null` ends it on the server and clears the cookie; `regenerate()` moves it to a new id.
 */
export type Session = SessionData & { regenerate(): void };

/** What the middleware remembers about the session it handed out. */
type Loaded = { key: string | null; data: Readonly<SessionData>; regenerate: boolean };

const LOADED = Symbol('session state');

// regenerate() lives on the prototype and the state under a symbol, so neither is saved, compared or listed.
const sessionPrototype = {
  regenerate(this: Session & { [LOADED]: Loaded }): void {
    this[LOADED].regenerate = true;
  },
};

/** Whether the session holds exactly what was loaded: the same keys with the same values (objects compared as JSON). */
function unchanged(current: SessionData, loaded: Readonly<SessionData>): boolean {
  const keys = Object.keys(current);
  if (keys.length !== Object.keys(loaded).length) return false;
  return keys.every((k) => {
    const [a, b] = [current[k], loaded[k]];
    return a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));
  });
}

function sessionObject(data: SessionData, loaded: Loaded): Session {
  const session = Object.assign(Object.create(sessionPrototype) as Session & { [LOADED]: Loaded }, data);
  session[LOADED] = loaded;
  return session;
}

export function sessionMiddleware(deps: { sessions: SessionsService; sameSite: 'strict' | 'lax' }): AppMiddleware {
  const { sessions } = deps;

  const cookieName = (ctx: AppContext) => (ctx.state.secure ? SECURE_COOKIE : PLAIN_COOKIE);
  const cookieOptions = (ctx: AppContext, maxAge: number) => ({
    httpOnly: true,
    // SECURITY: SameSite=Strict keeps the cookie off every cross-site request, a second wall behind the CSRF token.
    sameSite: deps.sameSite,
    // __Host- cookies must be Secure, Path=/ and carry no Domain.
    secure: ctx.state.secure,
    path: '/',
    overwrite: true,
    signed: false,
    maxAge,
  });

  /** Hands the request its session: the one found for its cookie, or an empty one. */
  function open(ctx: AppContext, key: string | undefined, found: { info: SessionInfo; data: SessionData } | null): Loaded {
    const loaded: Loaded = { key: null, data: {}, regenerate: false };
    if (key && found) {
      loaded.key = key;
      loaded.data = found.data;
      ctx.state.session = found.info;
      ctx.state.sessionKey = key;
    }
    ctx.session = sessionObject(loaded.data, loaded);
    return loaded;
  }

  async function save(ctx: AppContext, key: string, data: SessionData): Promise<void> {
    ctx.state.session = await sessions.save(key, data, { ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent });
    ctx.state.sessionKey = key;
  }

  /** After the request: nothing to do for an unchanged session (the common case), else the store write. */
  function commit(ctx: AppContext, loaded: Loaded): Promise<void> | undefined {
    const current = ctx.session;
    if (current !== null && !loaded.regenerate && unchanged(current, loaded.data)) return undefined;
    return write(ctx, loaded, current);
  }

  async function write(ctx: AppContext, loaded: Loaded, current: Session | null): Promise<void> {
    if (current === null) {
      if (loaded.key) await sessions.destroyByKey(loaded.key);
      if (ctx.cookies.get(cookieName(ctx)) !== undefined) ctx.cookies.set(cookieName(ctx), '', cookieOptions(ctx, 0));
      ctx.state.session = null;
      ctx.state.sessionKey = null;
      return;
    }
    // SECURITY: a new id after login and after any privilege change; the old one stops working at once.
    if (loaded.regenerate && loaded.key) await sessions.destroyByKey(loaded.key);
    const key = !loaded.regenerate && loaded.key ? loaded.key : newSecret(32);
    await save(ctx, key, Object.fromEntries(Object.entries(current)) as SessionData);
    if (key !== loaded.key) ctx.cookies.set(cookieName(ctx), key, cookieOptions(ctx, sessions.absoluteTimeoutMs));
  }

  // After the request, error or not: the session is committed before the answer goes out.
  const run = (ctx: AppContext, next: Next, loaded: Loaded): Promise<void> =>
    next().then(
      () => commit(ctx, loaded),
      async (err: unknown) => {
        await commit(ctx, loaded);
        throw err;
      },
    );

  return (ctx, next) => {
    // SECURITY: the __Host- cookie is read over HTTPS only and the plain one over HTTP only, so a cookie set by a
    // plain-HTTP page (or an attacker on the network) never stands in for the secure one.
    const key = ctx.cookies.get(cookieName(ctx));
    if (!key) return run(ctx, next, open(ctx, undefined, null));
    // Most requests are answered from the session cache without waiting; the rest read the database.
    const cached = sessions.peek(key);
    if (cached) return run(ctx, next, open(ctx, key, cached));
    return sessions.lookup(key).then((found) => run(ctx, next, open(ctx, key, found && !('expired' in found) ? found : null)));
  };
}
