// Benchmark child: a bare Koa app answering every request with one constant JSON body, the floor the panel is compared with.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import session from 'koa-session';
import { envelope } from '../src/http/middleware/envelope.ts';
import { prepareRequest } from '../src/http/middleware/prepare.ts';
import { PLAIN_COOKIE } from '../src/http/middleware/session.ts';
import { createLogger } from '../src/shared/logger.ts';
import { reportReady } from './ready-line.ts';

export type BareServerInfo = { port: number; pid: number };

/** The panel's own answer to the bench user's GET /api/v1/users/me, passed in by the bench: the same bytes, served as a constant. */
const BODY = JSON.parse(process.argv[3] ?? 'null') as unknown;
if (BODY === null) throw new Error('usage: bare-koa-server.ts <bare|floor|floor-session> <JSON body>');

/**
 * With the argument "floor", the same app also runs the panel's own per-response duties that no implementation can
 * skip: a request id, the client's address, the security headers, errors as JSON answers and one access-log line
 * (stdout and a log file). Its rate is the ceiling for any Koa app that honours those, which puts the panel's ratio
 * in context.
 *
 * With "floor-session", the floor also reads a koa-session session on every request, configured as the panel's is
 * (external key in a cookie, a store), but from a store that answers at once with a constant session: what
 * koa-session itself costs, before any lookup, sign-in check, rate limit or routing. Any value of the panel's plain
 * session cookie opens that session.
 */
const mode = process.argv[2];
const floor = mode === 'floor' || mode === 'floor-session';
const app = new Koa();
let logDir: string | null = null;
if (floor) {
  logDir = mkdtempSync(join(tmpdir(), 'aether-bench-floor-'));
  const logger = createLogger({ level: 'info', logDir });
  app.use(prepareRequest([]) as unknown as Koa.Middleware);
  app.use(envelope(logger, () => {}) as unknown as Koa.Middleware);
}
if (mode === 'floor-session') {
  const data = { uid: '01JBENCH0000000000000000000', authAt: Date.now(), csrfSalt: 'bench-csrf-salt-0000000' };
  const store = {
    get: async () => ({ ...data, _expire: Date.now() + 3_600_000, _maxAge: 3_600_000 }),
    set: async () => {},
    destroy: async () => {},
  };
  const name = PLAIN_COOKIE;
  const options = { key: name, signed: false, httpOnly: true, sameSite: 'strict', maxAge: 3_600_000, rolling: false, renew: false, store, externalKey: { get: (ctx: Koa.Context) => ctx.cookies.get(name) ?? '', set: () => {} } };
  app.use(session(options as unknown as Parameters<typeof session>[0], app) as unknown as Koa.Middleware);
  app.use(((ctx: { session: { uid?: string } | null }, next: () => Promise<void>) => {
    if (ctx.session?.uid !== data.uid) throw new Error(`the bench session was not read (no ${name} cookie?)`);
    return next();
  }) as unknown as Koa.Middleware);
}
app.use((ctx) => {
  if (floor) ctx.set('Cache-Control', 'no-store');
  ctx.body = BODY;
});
const server = createServer(app.callback());
// The panel's keep-alive setting, so connection reuse is the same for both.
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const info: BareServerInfo = { port: (server.address() as AddressInfo).port, pid: process.pid };
  reportReady(info);
});
process.on('SIGTERM', () => {
  server.close(() => {
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    process.exit(0);
  });
  server.closeAllConnections();
});
