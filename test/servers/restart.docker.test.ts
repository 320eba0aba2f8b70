// Restarting the panel does not stop servers: their containers keep running, and the panel reads their state back from
// Docker when it starts (also for a container that stopped while the panel was down).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
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

/** Signs in as the first administrator of a panel that was set up before (same data directory). */
async function setupAdminSession(url: string): Promise<TestClient> {
  const client = new TestClient(url);
  const res = await client.login(ADMIN.username, ADMIN.password);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return client;
}
