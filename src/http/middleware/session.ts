// Browser sessions through koa-session with the store in the database; cookie flags and name follow the request's scheme.
import type Koa from 'koa';
import session from 'koa-session';
import type { SessionsService } from '../../auth/sessions.service.ts';
import { newSecret } from '../../shared/ids.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

export const SECURE_COOKIE = '__Host-aether_session';
export const PLAIN_COOKIE = 'aether_session';

type Store = NonNullable<Parameters<typeof session>[0]>['store'];

export function sessionMiddleware(app: Koa, deps: { sessions: SessionsService; sameSite: 'strict' | 'lax' }): AppMiddleware {
  const { sessions } = deps;

  const store: Store = {
    async get(key: string, _maxAge: number, { ctx }: { ctx: AppContext }) {
      const found = await sessions.lookup(key);
      if (!found || 'expired' in found) return null;
      ctx.state.session = found.info;
      ctx.state.sessionKey = key;
      // koa-session checks _expire itself; ours is enforced above, so it gets the row's absolute expiry.
      return { ...found.data, _expire: found.info.expiresAt, _maxAge: found.info.expiresAt - Date.now() };
    },
    async set(key: string, sess: Record<string, unknown>, _maxAge: number, { ctx }: { ctx: AppContext }) {
      ctx.state.session = await sessions.save(key, sess, { ip: ctx.state.ip, userAgent: ctx.state.caller.userAgent });
      ctx.state.sessionKey = key;
    },
    async destroy(key: string) {
      await sessions.destroyByKey(key);
    },
  } as unknown as Store;

  // koa-session binds itself to the app once, so one instance serves both schemes: the cookie name and flags are
  // chosen per request in externalKey, and a removal on HTTPS also clears the __Host- cookie below.
  const cookieOpts = (ctx: AppContext) => ({
    httpOnly: true,
    // SECURITY: SameSite=Strict keeps the cookie off every cross-site request, a second wall behind the CSRF token.
    sameSite: deps.sameSite,
    // __Host- cookies must be Secure, Path=/ and carry no Domain.
    secure: ctx.state.secure,
    path: '/',
    overwrite: true,
    signed: false,
  });
  const nameFor = (ctx: AppContext) => (ctx.state.secure ? SECURE_COOKIE : PLAIN_COOKIE);
  const written = new WeakSet<AppContext>();

  const mw = session(
    {
      key: PLAIN_COOKIE,
      httpOnly: true,
      sameSite: deps.sameSite,
      path: '/',
      overwrite: true,
      signed: false,
      maxAge: sessions.absoluteTimeoutMs,
      autoCommit: true,
      rolling: false,
      renew: false,
      store,
      // SECURITY: 256-bit random ids; the database only ever sees their SHA-256.
      genid: () => newSecret(32),
      externalKey: {
        get: (ctx: AppContext) => ctx.cookies.get(nameFor(ctx)) ?? '',
        set: (ctx: AppContext, value: string) => {
          written.add(ctx);
          ctx.cookies.set(nameFor(ctx), value, { ...cookieOpts(ctx), maxAge: sessions.absoluteTimeoutMs });
        },
      },
    } as unknown as Parameters<typeof session>[0],
    app,
  ) as unknown as AppMiddleware;

  return async (ctx, next) => {
    await mw(ctx, next);
    if (ctx.state.secure && ctx.session === null && !written.has(ctx) && ctx.cookies.get(SECURE_COOKIE)) {
      ctx.cookies.set(SECURE_COOKIE, '', { ...cookieOpts(ctx), maxAge: 0 });
    }
  };
}
