// The console WebSocket on a real Docker Engine: ticket and Origin checks, history and live output, commands, the
// read-only console, bearer clients, and sockets closed at once when access goes away; and the stats snapshot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { requestToken } from '../helpers/oauth.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { openConsole, type Frame } from '../helpers/console-socket.ts';
import { testPortRange } from '../helpers/ports.ts';

/** The close code of a console the server refused after the handshake (it answers on the socket, so a browser sees why). */
async function refusedWith(opening: ReturnType<typeof openConsole>): Promise<number> {
  const { closed, frames } = await opening;
  const code = await closed;
  assert.deepEqual(frames, [], 'nothing is sent before the refusal');
  return code;
}

const outputOf = (frames: Frame[]) => frames.map((f) => (f.type === 'output' ? String(f.data) : f.type === 'history' ? (f.lines as string[]).join('\n') : '')).join('');

describe('server console WebSocket on a real Docker Engine', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let serverId = '';
  let dockerOk = false;

  before(async () => {
    const ports = testPortRange();
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: ports } }));
  });
  after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
  });

  const ticket = async (client: TestClient, id = serverId) => {
    const res = await client.post(`/api/v1/servers/${id}/console/ticket`, {});
    assert.equal(res.status, 201, res.text);
    return res.body.ticket as string;
  };

  test('a ticket from the session opens the console: history, live output, a command round trip, state and stats', async (t) => {
    if (!(dockerOk = needsDocker(t))) return;
    const created = await admin.post('/api/v1/servers', { name: 'Console', template: 'test-server' });
    assert.equal(created.status, 201, created.text);
    serverId = created.body.server.id;
    await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'start' });

    const { ws, frames } = await openConsole(panel, serverId, { ticket: await ticket(admin), origin: panel.url, cookie: admin.cookieHeader() });
    try {
      await eventually(() => outputOf(frames).includes('Stand-in server listening on port'), 'the server start in the console');
      assert.equal(frames[0]!.type, 'history');
      assert.ok(frames.some((f) => f.type === 'state' && f.state === 'running'));
      ws.send(JSON.stringify({ type: 'command', command: 'say from the console' }));
      await eventually(() => outputOf(frames).includes('> say from the console'), 'the command echoed');
      await eventually(() => frames.some((f) => f.type === 'stats'), 'a stats frame');
      const stats = frames.find((f) => f.type === 'stats')!.stats as { running: boolean; memoryLimitBytes: number; cpuPct: number };
      assert.equal(stats.running, true);
      assert.equal(stats.memoryLimitBytes, 64 * 1024 * 1024);
      ws.send('not json');
      await eventually(() => frames.some((f) => f.type === 'error' && f.code === 'bad_message'), 'a bad message refused');
    } finally {
      ws.close();
    }
    // A second watcher gets the recent output as history.
    const second = await openConsole(panel, serverId, { ticket: await ticket(admin), origin: panel.url, cookie: admin.cookieHeader() });
    try {
      await eventually(() => second.frames.length > 0, 'the history frame');
      assert.equal(second.frames[0]!.type, 'history');
      assert.ok((second.frames[0]!.lines as string[]).includes('> say from the console'));
    } finally {
      second.ws.close();
    }
    const snapshot = await admin.get(`/api/v1/servers/${serverId}/stats`);
    assert.equal(snapshot.status, 200, snapshot.text);
    assert.equal(snapshot.body.stats.running, true);
    assert.ok(snapshot.body.stats.memoryBytes > 0);
    assert.equal(snapshot.body.stats.diskLimitBytes, 256 * 1024 * 1024);
  });

  test('a ticket works once, only for its server, only from our Origin (else 403 before any socket); refusals close with 4401/4404', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const used = await ticket(admin);
    const first = await openConsole(panel, serverId, { ticket: used, origin: panel.url, cookie: admin.cookieHeader() });
    first.ws.close();
    assert.equal(await refusedWith(openConsole(panel, serverId, { ticket: used, origin: panel.url, cookie: admin.cookieHeader() })), 4401);
    await assert.rejects(openConsole(panel, serverId, { ticket: await ticket(admin), origin: 'https://evil.example', cookie: admin.cookieHeader() }), { status: 403 });
    assert.equal(await refusedWith(openConsole(panel, serverId, { origin: panel.url, cookie: admin.cookieHeader() })), 4401);
    // A ticket without the session's cookie is not enough.
    assert.equal(await refusedWith(openConsole(panel, serverId, { ticket: await ticket(admin), origin: panel.url })), 4401);
    assert.equal(await refusedWith(openConsole(panel, 'no-such-server', { ticket: await ticket(admin), origin: panel.url, cookie: admin.cookieHeader() })), 4401, 'a ticket is for its own server');
    // A server deleted between the ticket and the connection: 4404.
    const brief = await admin.post('/api/v1/servers', { name: 'Brief', template: 'test-server' });
    assert.equal(brief.status, 201, brief.text);
    const late = await ticket(admin, brief.body.server.id);
    assert.equal((await admin.del(`/api/v1/servers/${brief.body.server.id}`)).status, 204);
    assert.equal(await refusedWith(openConsole(panel, brief.body.server.id, { ticket: late, origin: panel.url, cookie: admin.cookieHeader() })), 4404);
  });

  test('a read-only console refuses commands; removing the permission or disabling the user closes the socket at once', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const role = await admin.post('/api/v1/roles', { name: `watcher-${Date.now()}`, description: 'reads consoles', scopes: ['server.view', 'server.console'] });
    assert.equal(role.status, 201, role.text);
    const watcher = await createUser(panel, admin, []);
    const assign = await admin.put(`/api/v1/users/${watcher.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] });
    assert.equal(assign.status, 200, assign.text);
    const { ws, frames, closed } = await openConsole(panel, serverId, { ticket: await ticket(watcher.client), origin: panel.url, cookie: watcher.client.cookieHeader() });
    ws.send(JSON.stringify({ type: 'command', command: 'say sneaky' }));
    await eventually(() => frames.some((f) => f.type === 'error' && f.code === 'forbidden'), 'the command refused');
    // Taking the role away closes the socket (4403) without waiting for the periodic check.
    await admin.put(`/api/v1/users/${watcher.id}/roles`, { roles: [] });
    assert.equal(await closed, 4403);

    await admin.put(`/api/v1/users/${watcher.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] });
    await watcher.client.login(watcher.username, watcher.password);
    const again = await openConsole(panel, serverId, { ticket: await ticket(watcher.client), origin: panel.url, cookie: watcher.client.cookieHeader() });
    await admin.patch(`/api/v1/users/${watcher.id}`, { disabled: true });
    assert.equal(await again.closed, 4401);
  });

  test('an API client opens the console with its bearer token and needs the console scope', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const created = await admin.post('/api/v1/clients', { name: `console-${Date.now()}`, scopes: [`server.console:${serverId}`, `server.console.send:${serverId}`] });
    assert.equal(created.status, 201, created.text);
    const token = await requestToken(panel.url, { clientId: created.body.client.id, clientSecret: created.body.clientSecret });
    assert.equal(token.status, 200, token.text);
    const { ws, frames } = await openConsole(panel, serverId, { bearer: token.body.access_token });
    try {
      ws.send(JSON.stringify({ type: 'command', command: 'say from a script' }));
      await eventually(() => outputOf(frames).includes('> say from a script'), 'the command echoed').catch((err: Error) => {
        throw new Error(`${err.message}: ${JSON.stringify(frames.filter((f) => f.type !== 'stats')).slice(0, 1500)}`);
      });
    } finally {
      ws.close();
    }
    const narrow = await admin.post('/api/v1/clients', { name: `narrow-${Date.now()}`, scopes: ['users.view'] });
    const other = await requestToken(panel.url, { clientId: narrow.body.client.id, clientSecret: narrow.body.clientSecret });
    assert.equal(await refusedWith(openConsole(panel, serverId, { bearer: other.body.access_token })), 4403);
    assert.equal(await refusedWith(openConsole(panel, serverId, { bearer: 'not-a-token' })), 4401);
  });
});
