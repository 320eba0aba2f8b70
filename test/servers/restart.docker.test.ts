// Restarting the panel does not stop servers: their containers keep running, and the panel reads their state back from
// Docker when it starts (also for a container that stopped while the panel was down). A node silent when the panel
// starts is audited and alerted then; answering when the panel starts again resolves it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { engineLink, needsDocker } from '../helpers/docker.ts';
import { ADMIN, setupAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { restartablePanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';

const running = (name: string) => spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', name], { encoding: 'utf8' }).stdout.trim();

test('servers keep running across a panel restart, and their state is read back from Docker', { timeout: 120_000 }, async (t) => {
  if (!needsDocker(t)) return;
  const ports = testPortRange();
  const data = restartablePanel({ servers: { portRange: ports } });
  let panel = await data.start();
  const ids: string[] = [];
  try {
    const admin = await setupAdmin(panel);
    const names: string[] = [];
    for (const name of ['Keeps', 'Stops']) {
      const res = await admin.post('/api/v1/servers', { name, template: 'test-server' });
      assert.equal(res.status, 201, res.text);
      ids.push(res.body.server.id);
      names.push(`aether-${res.body.server.shortId}`);
      assert.equal((await admin.post(`/api/v1/servers/${res.body.server.id}/power`, { action: 'start' })).status, 200);
    }
    await panel.close();
    assert.equal(running(names[0]!), 'true', 'the panel stopping does not stop servers');
    // While the panel is down, one container is stopped by someone else.
    assert.equal(spawnSync('docker', ['kill', names[1]!]).status, 0);

    panel = await data.start();
    const again = await setupAdminSession(panel.url);
    const states = await Promise.all(ids.map(async (id) => (await again.get(`/api/v1/servers/${id}`)).body.server.state));
    assert.deepEqual(states, ['running', 'stopped']);
    // The panel follows the engine's events again: it sees the running one crash.
    await again.post(`/api/v1/servers/${ids[0]}/console`, { command: 'crash' });
    await eventually(async () => (await again.get(`/api/v1/servers/${ids[0]}`)).body.server.state === 'crashed', 'the crash after the restart', 30_000, 250);
  } finally {
    const admin = await setupAdminSession(panel.url).catch(() => null);
    for (const id of ids) await admin?.del(`/api/v1/servers/${id}`).catch(() => undefined);
    await panel.close();
    data.remove();
  }
});

test('a node silent when the panel starts is audited and alerted at start; answering at the next start resolves it', { timeout: 120_000 }, async (t) => {
  if (!needsDocker(t)) return;
  // The local node is the engine behind a socket this test can cut; it is cut before the panel first starts.
  const dir = mkdtempSync(join(tmpdir(), 'aether-start-engine-'));
  const link = engineLink(join(dir, 'docker.sock'));
  const data = restartablePanel({ servers: { dockerSocket: join(dir, 'docker.sock'), portRange: testPortRange() } });
  let panel = await data.start();
  try {
    const admin = await setupAdmin(panel);
    const events = async (client: TestClient, type: string) => (await client.get(`/api/v1/audit?type=${type}`)).body.items as Array<{ details: Record<string, unknown> }>;
    const nodeAlerts = async (client: TestClient) => ((await client.get('/api/v1/alerts?source=servers')).body.items as Array<{ title: string; status: string }>).filter((a) => a.title.startsWith('Node local does not answer') && a.status !== 'resolved');
    const silent = await events(admin, 'node.unreachable');
    assert.equal(silent.length, 1, 'the silent node is audited when the panel starts');
    assert.equal(silent[0]!.details.atStart, true);
    await eventually(async () => (await nodeAlerts(admin)).length === 1, 'the alert');
    await panel.close();

    // The engine answers again while the panel is stopped: the next start says so, and the alert is resolved.
    await link.up();
    panel = await data.start();
    const again = await setupAdminSession(panel.url);
    const back = await events(again, 'node.reachable');
    assert.equal(back.length, 1);
    assert.equal(back[0]!.details.atStart, true);
    await eventually(async () => (await nodeAlerts(again)).length === 0, 'the alert resolved');
    // A start that finds the node as it was left audits nothing.
    await panel.close();
    panel = await data.start();
    const third = await setupAdminSession(panel.url);
    assert.equal((await events(third, 'node.reachable')).length, 1);
    assert.equal((await events(third, 'node.unreachable')).length, 1);
  } finally {
    await panel.close();
    await link.down();
    data.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Signs in as the first administrator of a panel that was set up before (same data directory). */
async function setupAdminSession(url: string): Promise<TestClient> {
  const client = new TestClient(url);
  const res = await client.login(ADMIN.username, ADMIN.password);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return client;
}
