// Servers on a real Docker Engine: create from the test template, start, a console round trip, a graceful stop, the
// hardening seen from inside the container, a crash with its alert and automatic restart, and another user's view.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';

const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8' });
const logs = (container: string) => {
  const r = docker('logs', container);
  return `${r.stdout}${r.stderr}`;
};

/** One line from a TCP port (the stand-in server greets every connection). */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    socket.on('end', () => resolve(text.trim()));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no greeting')));
  });
}

describe('servers on a real Docker Engine', () => {
  let panel: TestPanel;
  let admin: TestClient;
  const created: string[] = [];
  let dockerOk = false;

  before(async () => {
    // A port range of its own, so test files running at once do not compete for ports.
    const ports = testPortRange(20);
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: ports, restartBaseSeconds: 0.2 } }));
  });
  after(async () => {
    for (const id of created) await admin.del(`/api/v1/servers/${id}`).catch(() => undefined);
    await panel.close();
  });

  test('create, start, console round trip, graceful stop with the stop command', async (t) => {
    if (!(dockerOk = needsDocker(t))) return;
    const res = await admin.post('/api/v1/servers', { name: 'Survival', template: 'test-server' });
    assert.equal(res.status, 201, res.text);
    const server = res.body.server;
    created.push(server.id);
    assert.equal(server.state, 'stopped');
    assert.equal(server.shortId.length, 8);
    const port = server.ports[0].hostPort;
    const container = `aether-${server.shortId}`;

    const inspect = JSON.parse(docker('inspect', container).stdout)[0];
    assert.equal(inspect.Config.Labels['io.aether.server'], server.id);
    assert.deepEqual(inspect.HostConfig.CapDrop, ['ALL']);
    assert.equal(inspect.HostConfig.Privileged, false);
    assert.equal(inspect.HostConfig.ReadonlyRootfs, true);
    assert.equal(inspect.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(inspect.HostConfig.MemorySwap, inspect.HostConfig.Memory);
    assert.equal(inspect.HostConfig.PidsLimit, 64);
    assert.ok(inspect.HostConfig.SecurityOpt.includes('no-new-privileges:true'));
    assert.equal(inspect.HostConfig.NetworkMode, `aether-${server.shortId}`);
    // The one host path the container sees: its own data directory.
    assert.deepEqual(inspect.Mounts.map((m: { Type: string; Destination: string }) => `${m.Type}:${m.Destination}`), ['bind:/data']);
    assert.equal(inspect.Mounts[0].Source, panel.services.servers.dataDirOf(server.id));

    const started = await admin.post(`/api/v1/servers/${server.id}/power`, { action: 'start' });
    assert.equal(started.status, 200, started.text);
    assert.equal(started.body.server.state, 'running');
    await eventually(() => logs(container).includes('listening on port'), 'the server to start');
    assert.equal(await greeting(port), 'aether-test-server');

    const sent = await admin.post(`/api/v1/servers/${server.id}/console`, { command: 'say hello' });
    assert.equal(sent.status, 204, sent.text);
    await eventually(() => logs(container).includes('> say hello'), 'the command echoed');

    const stopped = await admin.post(`/api/v1/servers/${server.id}/power`, { action: 'stop' });
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal(stopped.body.server.state, 'stopped');
    assert.match(logs(container), /Saving and stopping/);
    const state = JSON.parse(docker('inspect', container).stdout)[0].State;
    assert.equal(state.Running, false);
    assert.equal(state.ExitCode, 0, 'stopped by its stop command, not killed');
    const audit = (await admin.get('/api/v1/audit?type=server.*&limit=20')).body.items.map((e: { type: string }) => e.type);
    for (const type of ['server.created', 'server.started', 'server.console.command', 'server.stopped']) assert.ok(audit.includes(type), type);
  });

  test('hardening seen from inside: no capabilities, no new privileges, read-only root, not root', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Inside', template: 'test-server' });
    assert.equal(res.status, 201, res.text);
    created.push(res.body.server.id);
    const container = `aether-${res.body.server.shortId}`;
    await admin.post(`/api/v1/servers/${res.body.server.id}/power`, { action: 'start' });
    await eventually(() => logs(container).includes('listening on port'), 'the server to start');
    const status = docker('exec', container, 'cat', '/proc/self/status').stdout;
    assert.match(status, /^CapEff:\s+0000000000000000$/m);
    assert.match(status, /^CapPrm:\s+0000000000000000$/m);
    assert.match(status, /^NoNewPrivs:\s+1$/m);
    assert.match(status, /^Uid:\s+1000\s/m);
    assert.notEqual(docker('exec', container, 'touch', '/bin/x').status, 0, 'the root filesystem is read-only');
    assert.equal(docker('exec', container, 'touch', '/data/ok').status, 0, 'the data directory is writable');
    assert.equal(docker('exec', container, 'touch', '/tmp/ok').status, 0, '/tmp is a small tmpfs');
    await admin.post(`/api/v1/servers/${res.body.server.id}/power`, { action: 'kill' });
  });

  test('limits change on a running server at once; a reinstall makes a new container and keeps the data', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Growing', template: 'test-server' });
    assert.equal(res.status, 201, res.text);
    const { id, shortId } = res.body.server;
    created.push(id);
    const container = `aether-${shortId}`;
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
    await eventually(() => logs(container).includes('listening on port'), 'the server to start');
    assert.equal(docker('exec', container, 'sh', '-c', 'echo kept > /data/world.txt').status, 0);
    const patched = await admin.patch(`/api/v1/servers/${id}`, { name: 'Grown', limits: { memoryMb: 96, pids: 80 }, restartPolicy: 'on-crash' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.server.name, 'Grown');
    const host = JSON.parse(docker('inspect', container).stdout)[0].HostConfig;
    assert.equal(host.Memory, 96 * 1024 * 1024);
    assert.equal(host.MemorySwap, host.Memory);
    assert.equal(host.PidsLimit, 80);
    assert.equal((await admin.patch(`/api/v1/servers/${id}`, { limits: { memoryMb: 10_000_000 } })).body.error.code, 'limit_too_high');
    assert.equal((await admin.patch(`/api/v1/servers/${id}`, { env: { NOPE: 'x' } })).body.error.code, 'invalid_env');

    const before = JSON.parse(docker('inspect', container).stdout)[0].Id;
    const re = await admin.post(`/api/v1/servers/${id}/reinstall`, {});
    assert.equal(re.status, 200, re.text);
    assert.equal(re.body.server.state, 'stopped');
    const afterInspect = JSON.parse(docker('inspect', container).stdout)[0];
    assert.notEqual(afterInspect.Id, before);
    assert.equal(afterInspect.HostConfig.Memory, 96 * 1024 * 1024, 'the new container has the changed limits');
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
    await eventually(() => logs(container).includes('listening on port'), 'the reinstalled server to start');
    assert.equal(docker('exec', container, 'cat', '/data/world.txt').stdout.trim(), 'kept');
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'kill' });
  });

  test('a port taken by another program: starting is a 409 port_in_use, and the server stays stopped', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Blocked', template: 'test-server' });
    assert.equal(res.status, 201, res.text);
    const { id, ports } = res.body.server;
    created.push(id);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(ports[0].hostPort, '0.0.0.0', () => resolve()));
    try {
      const start = await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
      assert.equal(start.status, 409, start.text);
      assert.equal(start.body.error.code, 'port_in_use');
      assert.equal((await admin.get(`/api/v1/servers/${id}`)).body.server.state, 'stopped');
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200, 'it starts once the port is free');
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'kill' });
  });

  test('a crash is detected, audited, becomes an alert, and the on-crash policy restarts the server', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Crashy', template: 'test-server', restartPolicy: 'on-crash' });
    assert.equal(res.status, 201, res.text);
    const id = res.body.server.id;
    created.push(id);
    const container = `aether-${res.body.server.shortId}`;
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
    await eventually(() => logs(container).includes('listening on port'), 'the server to start');
    await admin.post(`/api/v1/servers/${id}/console`, { command: 'crash' });
    await eventually(async () => (await admin.get('/api/v1/audit?type=server.crashed')).body.items.length > 0, 'the crash event', 30_000, 250);
    const crash = (await admin.get('/api/v1/audit?type=server.crashed')).body.items[0];
    assert.equal(crash.details.exitCode, 3);
    await eventually(async () => (await admin.get('/api/v1/alerts?source=servers')).body.total > 0, 'the crash alert', 30_000, 250);
    await eventually(async () => (await admin.get(`/api/v1/servers/${id}`)).body.server.state === 'running', 'the automatic restart', 30_000, 250);
    assert.equal((await admin.get(`/api/v1/servers/${id}`)).body.server.crashCount, 1);
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'kill' });
  });

  test('another user without scopes on the server neither sees it nor reaches it', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const { client: other } = await createUser(panel, admin, ['operator']);
    const mine = await admin.post('/api/v1/servers', { name: 'Private', template: 'test-server' });
    assert.equal(mine.status, 201, mine.text);
    created.push(mine.body.server.id);
    const { client: outsider } = await createUser(panel, admin, ['auditor']);
    assert.ok((await other.get('/api/v1/servers')).body.items.some((s: { id: string }) => s.id === mine.body.server.id), 'operator holds server.admin everywhere');
    // The auditor has server.view globally but no console or power scope.
    assert.equal((await outsider.post(`/api/v1/servers/${mine.body.server.id}/console`, { command: 'x' })).status, 403);
    assert.equal((await outsider.post(`/api/v1/servers/${mine.body.server.id}/power`, { action: 'start' })).status, 403);
    const role = await admin.post('/api/v1/roles', { name: `creator-${Date.now()}`, description: 'creates servers', scopes: ['server.create'] });
    const { client: creator } = await createUser(panel, admin, [role.body.role.name]);
    assert.deepEqual((await creator.get('/api/v1/servers')).body.items, [], 'sees nobody else\'s servers');
    const own = await creator.post('/api/v1/servers', { name: 'Mine', template: 'test-server' });
    assert.equal(own.status, 201, own.text);
    created.push(own.body.server.id);
    // The owner holds everything on their server (server-owner role), and the answer says so for the UI.
    for (const scope of ['server.start', 'server.stop', 'server.console.send', 'server.delete']) assert.ok(own.body.server.myScopes.includes(scope), scope);
    const seen = await outsider.get(`/api/v1/servers/${mine.body.server.id}`);
    assert.deepEqual(seen.body.server.myScopes, ['server.backup.view', 'server.files.view', 'server.view']);
    assert.deepEqual((await creator.get('/api/v1/servers')).body.items.map((s: { id: string }) => s.id), [own.body.server.id], 'the owner sees their own server');
    assert.equal((await creator.get(`/api/v1/servers/${mine.body.server.id}`)).status, 403);
  });

  test('servers created at once each get a port of their own, and each starts', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const made = await Promise.all(Array.from({ length: 6 }, (_, i) => admin.post('/api/v1/servers', { name: `Crowd ${i}`, template: 'test-server' })));
    for (const res of made) {
      assert.equal(res.status, 201, res.text);
      created.push(res.body.server.id);
    }
    const ports = made.map((res) => res.body.server.ports[0].hostPort as number);
    assert.equal(new Set(ports).size, 6, `six different ports: ${ports.join(', ')}`);
    // Each on a network of its own, a /28 of servers.networkPool (10.213.0.0/16 by default).
    const subnets = made.map((res) => docker('network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', `aether-${res.body.server.shortId}`).stdout.trim());
    for (const subnet of subnets) assert.match(subnet, /^10\.213\.\d+\.\d+\/28$/);
    assert.equal(new Set(subnets).size, 6, `six different subnets: ${subnets.join(', ')}`);
    for (const res of made) {
      const started = await admin.post(`/api/v1/servers/${res.body.server.id}/power`, { action: 'start' });
      assert.equal(started.status, 200, started.text);
    }
    for (const res of made) assert.equal((await admin.del(`/api/v1/servers/${res.body.server.id}`)).status, 204);
  });

  test('a template asking for anything outside the whitelist is refused with the reason', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const base = (await admin.get('/api/v1/templates')).body.items.find((x: { id: string }) => x.id === 'test-server');
    const { source: _s, ...template } = base;
    for (const [field, value] of [
      ['privileged', true],
      ['hostConfig', { NetworkMode: 'host' }],
      ['network', 'host'],
      ['capabilities', ['SYS_ADMIN']],
      ['user', '0:0'],
    ] as const) {
      const res = await admin.post('/api/v1/templates', { ...template, id: `bad-${field.toLowerCase()}`, [field]: value });
      assert.equal(res.status, 400, `${field}: ${res.text}`);
      assert.equal(res.body.error.code, 'invalid_template');
      assert.match(res.body.error.message, new RegExp(field, 'i'));
    }
    const ok = await admin.post('/api/v1/templates', { ...template, id: 'test-server-copy', name: 'Copy' });
    assert.equal(ok.status, 201, ok.text);
  });
});

test('servers\' networks come from servers.networkPool; once it is full, creating is a 409 that leaves nothing behind', async (t) => {
  if (!needsDocker(t)) return;
  // A /27 holds two /28s (a random one, so that runs at once do not share it).
  const pool = `10.215.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 8) * 32}/27`;
  const { panel, admin } = await panelWithAdmin({ servers: { portRange: testPortRange(), networkPool: pool } });
  const ids: string[] = [];
  try {
    for (const name of ['First', 'Second']) {
      const res = await admin.post('/api/v1/servers', { name, template: 'test-server' });
      assert.equal(res.status, 201, res.text);
      ids.push(res.body.server.id);
    }
    const full = await admin.post('/api/v1/servers', { name: 'Third', template: 'test-server' });
    assert.equal(full.status, 409, full.text);
    assert.equal(full.body.error.code, 'network_pool_exhausted');
    assert.match(full.body.error.message, new RegExp(`servers\\.networkPool \\(${pool.replace(/\./g, '\\.')}\\)`));
    assert.deepEqual(((await admin.get('/api/v1/servers')).body.items as Array<{ name: string }>).map((x) => x.name).sort(), ['First', 'Second']);
    // A server deleted gives its subnet back.
    assert.equal((await admin.del(`/api/v1/servers/${ids.shift()}`)).status, 204);
    const again = await admin.post('/api/v1/servers', { name: 'Third', template: 'test-server' });
    assert.equal(again.status, 201, again.text);
    ids.push(again.body.server.id);
  } finally {
    for (const id of ids) await admin.del(`/api/v1/servers/${id}`).catch(() => undefined);
    await panel.close();
  }
});
