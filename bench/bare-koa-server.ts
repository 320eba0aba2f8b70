// Benchmark child: a bare Koa app answering every request with one constant JSON body, the floor the panel is compared with.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
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

const app = new Koa();
app.use((ctx) => {
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
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
