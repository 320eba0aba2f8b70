// A server's history on a real Docker Engine: sampled with the host while it runs, read back as chart columns, only by
// those who may see the server; its readings fire a server threshold rule, which clears when it stops.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';

type History = { sampling: boolean; resolution: string; stepSeconds: number; ts: number[]; series: Record<string, Array<number | null>>; max: Record<string, Array<number | null>> | null };

const MB = 1024 * 1024;

describe('per-server history on a real Docker Engine', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let serverId = '';

  before(async () => {
    const ports = testPortRange();
    // One server rule low enough for an idle server to cross at once: the readings reach the thresholds and the inbox.
    const rulesDir = mkdtempSync(join(tmpdir(), 'aether-server-rules-'));
    writeFileSync(
      join(rulesDir, 'servers.yml'),
      'rules:\n  - id: server-memory-any\n    metric: server_memory\n    above: 0.01\n    for: 4s\n    clear_below: 0.005\n    clear_for: 4s\n    severity: medium\n',
    );
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: ports }, resources: { enabled: true, intervalSeconds: 2, rulesDir } }));
  });
  after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
  });

  const history = async (query = 'range=1h'): Promise<History> => {
    const res = await admin.get(`/api/v1/servers/${serverId}/history?${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body as History;
  };

  test('a running server is sampled: CPU, memory within its limit, disk, traffic rates; a stopped one leaves a gap', async (t) => {
    if (!needsDocker(t)) return;
    const created = await admin.post('/api/v1/servers', { name: 'Charted', template: 'test-server', limits: { memoryMb: 96 } });
    assert.equal(created.status, 201, created.text);
    serverId = created.body.server.id;
    const empty = await history();
    assert.equal(empty.sampling, true);
    assert.deepEqual(empty.ts, [], 'nothing before the server first runs');

    const started = await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'start' });
    assert.equal(started.status, 200, started.text);
    // Two readings in two 10-second slots: the second has a CPU % (the first has no earlier reading to compare with).
    let h = empty;
    await eventually(async () => {
      h = await history();
      return h.series.cpuPct!.some((v) => v !== null);
    }, 'a sample with a CPU figure', 60_000, 1000);
    assert.equal(h.resolution, '10s');
    assert.equal(h.max, null);
    const last = h.ts.length - 1;
    assert.ok(h.ts[last]! <= Date.now() && h.ts[last]! > Date.now() - 60_000);
    const memory = h.series.memoryBytes![last]!;
    assert.ok(memory > 0 && memory <= 96 * MB, `memory in use: ${memory}`);
    assert.equal(h.series.memoryLimitBytes![last], 96 * MB);
    assert.ok(h.series.cpuPct![last]! >= 0);
    assert.ok(h.series.netRxBps![last]! >= 0 && h.series.netTxBps![last]! >= 0);
    assert.ok(h.series.diskBytes![last]! >= 0);
    assert.ok(h.series.diskLimitBytes![last]! > 0);
    for (const name of Object.keys(h.series)) assert.equal(h.series[name]!.length, h.ts.length, `${name} has a value per point`);

    // 5-minute view: the bucket still open, from its raw rows.
    const week = await history('range=7d');
    assert.equal(week.resolution, '5m');
    assert.ok(week.ts.length >= 1);
    assert.ok(week.max!.memoryBytes!.at(-1)! >= week.series.memoryBytes!.at(-1)!);

    // The server rule fired on these readings: an alert naming the server, with its id in the details.
    const alertOf = async () => ((await admin.get('/api/v1/alerts?source=resources')).body.items as Array<{ id: string; title: string; status: string }>).find((a) => a.title.startsWith('Server Charted memory'));
    await eventually(async () => (await alertOf()) !== undefined, 'the server memory alert', 30_000, 500);
    const alert = (await alertOf())!;
    assert.equal(alert.title, 'Server Charted memory above 0 % of its limit for 4 s on ' + (await admin.get('/api/v1/resources/current')).body.host);
    assert.equal(alert.status, 'open');
    const detail = await admin.get(`/api/v1/alerts/${alert.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body.alert.dedupKey, `resources:server-memory-any:server:${serverId}`);
    assert.equal(detail.body.alert.details.serverId, serverId);

    // Stopped: no more samples, and the alert clears (the server is no longer reported).
    assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'kill' })).status, 200);
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 12_000));
    const after = await history();
    assert.ok(after.ts.filter((ts, i) => ts > stoppedAt + 2_000 && after.series.memoryBytes![i] !== null).length === 0, 'no samples of a stopped server');
    await eventually(async () => (await alertOf())?.status === 'resolved', 'the alert resolved once the server stopped', 30_000, 500);
  });

  test('only those who may see the server read its history; a bad range is a 400', async (t) => {
    if (!needsDocker(t) || !serverId) return;
    const stranger = await createUser(panel, admin, []);
    const refused = await stranger.client.get(`/api/v1/servers/${serverId}/history`);
    assert.ok(refused.status === 403 || refused.status === 404, `status ${refused.status}`);
    assert.equal((await admin.get(`/api/v1/servers/${serverId}/history?range=2y`)).body.error.code, 'validation_failed');
    const backwards = await admin.get(`/api/v1/servers/${serverId}/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`);
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.code, 'validation_failed');
    assert.equal((await admin.get('/api/v1/servers/no-such-server/history')).status, 404);
  });
});
