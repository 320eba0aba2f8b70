// Servers when things go wrong, on a real Docker Engine: a memory hog is killed by its limit and reported as such; an
// engine that goes away gives 503 docker_unreachable while the panel stays up, and everything works again once it is
// back (the panel reaches the engine through a socket this test can cut, so other tests keep their engine).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';

const ENGINE = '/var/run/docker.sock';

/** A Unix socket that forwards to the Docker Engine until cut, and again once restored. */
function engineLink(path: string) {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  const up = () =>
    new Promise<void>((resolve, reject) => {
      // Already up: nothing to do (a second listener would leave the first one open for ever).
      if (server) return resolve();
      rmSync(path, { force: true });
      server = createServer((client) => {
        const engine = connect(ENGINE);
        for (const s of [client, engine]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {
            client.destroy();
            engine.destroy();
          });
        }
        client.pipe(engine).pipe(client);
      });
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  return { up, down };
}

describe('servers under failure on a real Docker Engine', () => {
  let panel: TestPanel;
  let admin: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'aether-engine-link-'));
  const link = engineLink(join(dir, 'docker.sock'));
  const created: string[] = [];
  let dockerOk = false;

  before(async () => {
    await link.up();
    const base = 46000 + Math.floor(Math.random() * 300) * 10;
    ({ panel, admin } = await panelWithAdmin({ servers: { dockerSocket: join(dir, 'docker.sock'), portRange: { min: base, max: base + 9 }, diskCheckSeconds: 1 } }));
  });
  after(async () => {
    await link.up().catch(() => undefined);
    for (const id of created) await admin.del(`/api/v1/servers/${id}`).catch(() => undefined);
    await panel.close();
    await link.down();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a memory hog is killed by its memory limit and reported as a crash for that reason', async (t) => {
    if (!(dockerOk = needsDocker(t))) return;
    const res = await admin.post('/api/v1/servers', { name: 'Hog', template: 'test-server', limits: { memoryMb: 32 } });
    assert.equal(res.status, 201, res.text);
    const { id, shortId } = res.body.server;
    created.push(id);
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
    await eventually(() => spawnSync('docker', ['logs', `aether-${shortId}`], { encoding: 'utf8' }).stdout.includes('listening on port'), 'the server to start');
    assert.equal((await admin.post(`/api/v1/servers/${id}/console`, { command: 'hog' })).status, 204);
    await eventually(async () => (await admin.get('/api/v1/audit?type=server.crashed')).body.items.some((e: { target: { id: string } }) => e.target.id === id), 'the crash', 30_000, 250);
    const crash = (await admin.get('/api/v1/audit?type=server.crashed')).body.items.find((e: { target: { id: string } }) => e.target.id === id);
    assert.equal(crash.details.oomKilled, true);
    assert.match(crash.details.reason, /memory/);
    const state = JSON.parse(spawnSync('docker', ['inspect', `aether-${shortId}`], { encoding: 'utf8' }).stdout)[0].State;
    assert.equal(state.OOMKilled, true);
    assert.equal((await admin.get(`/api/v1/servers/${id}`)).body.server.state, 'crashed');
    const alert = (await admin.get('/api/v1/alerts?source=servers')).body.items.find((a: { title: string }) => a.title.startsWith('Server Hog crashed'));
    assert.ok(alert, 'the crash is an alert');
  });

  test('a server whose files outgrow its disk limit is stopped gracefully and alerted, and starts again only once under it', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Hoarder', template: 'test-server', limits: { diskMb: 16 } });
    assert.equal(res.status, 201, res.text);
    const { id, shortId } = res.body.server;
    created.push(id);
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    // The server's files grow past 16 MiB (as a world save would).
    const big = join(panel.services.servers.dataDirOf(id), 'world.dat');
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024, 1));
    await eventually(async () => (await admin.get(`/api/v1/servers/${id}`)).body.server.state === 'stopped', 'the server stopped', 30_000, 250);
    const state = JSON.parse(spawnSync('docker', ['inspect', `aether-${shortId}`], { encoding: 'utf8' }).stdout)[0].State;
    assert.equal(state.ExitCode, 0, 'stopped by its stop command, not killed');
    // The event is recorded right after the state turns to stopped.
    const diskEvent = async () => (await admin.get('/api/v1/audit?type=server.disk_exceeded')).body.items.find((e: { target: { id: string } }) => e.target.id === id);
    await eventually(async () => (await diskEvent()) !== undefined, 'the audited event');
    const event = await diskEvent();
    assert.equal(event.details.limitBytes, 16 * 1024 * 1024);
    assert.ok(event.details.usedBytes >= 17 * 1024 * 1024);
    await eventually(async () => (await admin.get('/api/v1/alerts?source=servers')).body.items.some((a: { title: string }) => a.title.startsWith('Server Hoarder was stopped: its files take 17 MiB of its 16 MiB disk limit')), 'the alert');
    assert.equal((await admin.get('/api/v1/audit?type=server.crashed')).body.items.filter((e: { target: { id: string } }) => e.target.id === id).length, 0, 'not a crash');

    const refused = await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'disk_limit_exceeded');
    assert.match(refused.body.error.message, /17 MiB of its 16 MiB disk limit/);
    assert.equal((await admin.get(`/api/v1/servers/${id}`)).body.server.state, 'stopped');
    // A raised limit (or deleted files) and it starts.
    assert.equal((await admin.patch(`/api/v1/servers/${id}`, { limits: { diskMb: 64 } })).status, 200);
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'kill' })).status, 200);
  });

  test('with the engine gone: 503 docker_unreachable, the panel stays up; once it is back, servers work again', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Steady', template: 'test-server' });
    assert.equal(res.status, 201, res.text);
    const { id, shortId } = res.body.server;
    created.push(id);
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);

    await link.down();
    const power = await admin.post(`/api/v1/servers/${id}/power`, { action: 'stop' });
    assert.equal(power.status, 503, power.text);
    assert.equal(power.body.error.code, 'docker_unreachable');
    assert.ok(power.headers['retry-after']);
    assert.equal((await admin.post('/api/v1/servers', { name: 'Nope', template: 'test-server' })).status, 503);
    assert.equal((await admin.get(`/api/v1/servers/${id}/stats`)).status, 503);
    // What the panel knows without the engine still answers.
    assert.equal((await admin.get('/api/v1/servers')).status, 200);
    assert.equal((await admin.get('/healthz')).status, 200);
    const nodes = await admin.get('/api/v1/nodes');
    assert.equal(nodes.body.items[0].health.reachable, false);
    // The container kept running all along: the engine itself never stopped.
    assert.match(spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', `aether-${shortId}`], { encoding: 'utf8' }).stdout, /true/);

    await link.up();
    assert.equal((await admin.get('/api/v1/nodes')).body.items[0].health.reachable, true);
    const stopped = await admin.post(`/api/v1/servers/${id}/power`, { action: 'stop' });
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal(stopped.body.server.state, 'stopped');
    // The event stream reconnected: a crash is seen again.
    await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' });
    await eventually(() => spawnSync('docker', ['logs', `aether-${shortId}`], { encoding: 'utf8' }).stdout.split('listening on port').length > 2, 'the second start');
    await admin.post(`/api/v1/servers/${id}/console`, { command: 'crash' });
    await eventually(async () => (await admin.get(`/api/v1/servers/${id}`)).body.server.state === 'crashed', 'the crash after the engine came back', 30_000, 250);
  });
});
