// Benchmark child: a bare Koa app answering every request with one constant JSON body, the floor the panel is compared with.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import { accessLog } from '../src/http/middleware/access-log.ts';
import { requestId } from '../src/http/middleware/request-id.ts';
import { securityHeaders } from '../src/http/middleware/security-headers.ts';
import { createLogger } from '../src/shared/logger.ts';
import { reportReady } from './ready-line.ts';

export type BareServerInfo = { port: number; pid: number };

// About the shape and size of the panel's GET /api/v1/users/me answer, so both serialise a similar body.
const BODY = {
  user: {
    id: '01JBENCH0000000000000000000',
    username: 'bench-user',
    email: 'bench-user@example.test',
    disabled: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    lastLoginAt: '2025-01-01T00:00:00.000Z',
    lastLoginIp: '127.0.0.1',
    roles: [{ roleId: '01JBENCH0000000000000000001', roleName: 'operator', serverId: null }],
    scopes: ['alerts.view', 'audit.view', 'nodes.view', 'roles.view', 'server.admin', 'server.create', 'users.view'],
  },
};

/**
 * With the argument "floor", the same app also runs the panel's own per-response duties that no implementation can
 * skip: a request id, the security headers and one access-log line (stdout and a log file). Its rate is the ceiling
 * for any Koa app that honours those, which puts the panel's ratio in context.
 */
const floor = process.argv[2] === 'floor';
const app = new Koa();
let logDir: string | null = null;
if (floor) {
  logDir = mkdtempSync(join(tmpdir(), 'aether-bench-floor-'));
  const logger = createLogger({ level: 'info', logDir });
  app.use(requestId() as unknown as Koa.Middleware);
  app.use(accessLog(logger) as unknown as Koa.Middleware);
  app.use(((ctx: { state: Record<string, unknown> }, next: () => Promise<void>) => {
    ctx.state.ip = '127.0.0.1';
    ctx.state.secure = false;
    return next();
  }) as unknown as Koa.Middleware);
  app.use(securityHeaders() as unknown as Koa.Middleware);
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
