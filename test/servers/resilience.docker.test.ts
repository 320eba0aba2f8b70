// Servers when things go wrong, on a real Docker Engine: a memory hog is killed by its limit and reported as such; an
// engine that goes away gives 503 docker_unreachable while the panel stays up, and everything works again once it is
// back (the panel reaches the engine through a socket this test can cut, so other tests keep their engine); an exit
// whose event the engine no longer keeps, or replays late, is still told apart as a stop or a crash.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { DOCKER_SOCKET, engineLink, needsDocker } from '../helpers/docker.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';

/** Docker keeps only its latest events (256) for a follower that reconnects: this many events push older ones out. */
async function floodEngineEvents(count: number): Promise<void> {
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest({ socketPath: DOCKER_SOCKET, method, path, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode! < 300 ? resolve() : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const names = Array.from({ length: Math.ceil(count / 2) }, (_, i) => `aether-flood-${process.pid}-${i}`);
  // Each volume made and removed is two events.
  for (let i = 0; i < names.length; i += 10) {
    await Promise.all(names.slice(i, i + 10).map(async (name) => {
      await call('POST', '/volumes/create', { Name: name });
      await call('DELETE', `/volumes/${name}`);
    }));
  }
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
    const ports = testPortRange();
    ({ panel, admin } = await panelWithAdmin({ servers: { dockerSocket: join(dir, 'docker.sock'), portRange: ports, diskCheckSeconds: 1 } }));
  });
  after(async () => {
    await link.up().catch(() => undefined);
    for (const id of created) await admin.del(`/api/v1/servers/${id}`).catch(() => undefined);
    // The link is cut even when the panel never started, or the open listener keeps this file running.
    await panel?.close().catch(() => undefined);
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
    // Killed (SIGKILL) by the kernel's OOM killer. Docker's own OOMKilled flag is not asserted: the engine sets it from
    // an oom notice that can come after the exit (seen on cgroup v2), and then leaves it false.
    assert.equal(state.ExitCode, 137);
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

  test('a stop whose exit event was lost does not make the next crash look like a stop, and an old exit replayed is no crash', async (t) => {
    if (!needsDocker(t) || !dockerOk) return;
    const res = await admin.post('/api/v1/servers', { name: 'Forgetful', template: 'test-server' });
    assert.equal(res.status, 201, res.text);
    const { id, shortId } = res.body.server;
    created.push(id);
    const crashes = async () => (await admin.get('/api/v1/audit?type=server.crashed')).body.items.filter((e: { target: { id: string } }) => e.target.id === id).length;
    const logs = () => spawnSync('docker', ['logs', `aether-${shortId}`], { encoding: 'utf8' }).stdout.split('listening on port').length - 1;
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    await eventually(() => logs() === 1, 'the first start');

    // The panel stops the server while it does not hear the engine's events, and the engine forgets that exit.
    link.withholdEvents();
    const since = Math.floor(Date.now() / 1000) - 1;
    const stopped = await admin.post(`/api/v1/servers/${id}/power`, { action: 'stop' });
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal(stopped.body.server.state, 'stopped');
    await floodEngineEvents(600);
    const replay = spawnSync('docker', ['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', `container=aether-${shortId}`, '--filter', 'event=die'], { encoding: 'utf8' });
    assert.equal(replay.stdout.trim(), '', 'the engine no longer replays the exit of the stop');

    // Started again and crashed while the events are still withheld, and the engine forgets that exit too: the panel
    // finds it from the container itself when the events come back.
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    await eventually(() => logs() === 2, 'the second start');
    assert.equal((await admin.post(`/api/v1/servers/${id}/console`, { command: 'crash' })).status, 204);
    await eventually(() => spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', `aether-${shortId}`], { encoding: 'utf8' }).stdout.trim() === 'false', 'the container to exit');
    await floodEngineEvents(600);
    const replayCrash = spawnSync('docker', ['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', `container=aether-${shortId}`, '--filter', 'event=die'], { encoding: 'utf8' });
    assert.equal(replayCrash.stdout.trim(), '', 'the engine no longer replays the exit of the crash either');
    link.allowEvents();
    await eventually(async () => (await admin.get(`/api/v1/servers/${id}`)).body.server.state === 'crashed', 'the crash once the events came back', 30_000, 250);
    assert.equal(await crashes(), 1, 'one crash, recorded once');

    // The panel does not hear of a crash until after the server was started again: the exit, replayed when the
    // events come back, belongs to the run before and is no crash of the new one.
    link.withholdEvents();
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    await eventually(() => logs() === 3, 'the third start');
    assert.equal((await admin.post(`/api/v1/servers/${id}/console`, { command: 'crash' })).status, 204);
    await eventually(() => spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', `aether-${shortId}`], { encoding: 'utf8' }).stdout.trim() === 'false', 'the container to exit');
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    await eventually(() => logs() === 4, 'the fourth start');
    link.allowEvents();
    // A crash of the running server now: its exit comes after the replayed one, on the same stream.
    assert.equal((await admin.post(`/api/v1/servers/${id}/console`, { command: 'crash' })).status, 204);
    await eventually(async () => (await admin.get(`/api/v1/servers/${id}`)).body.server.state === 'crashed', 'the last crash', 30_000, 250);
    assert.equal(await crashes(), 2, 'the crash of the first run and the last one; the replayed exit is not counted');
  });
});
