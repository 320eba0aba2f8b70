// Two real Docker Engines as two nodes: the usual one ("local") and a second dockerd this test starts, reached as a
// remote node over TLS with client certificates. Servers without a node go to the node with the most free memory; when
// the second engine is killed its servers show unknown while the local node, the server list and placement carry on,
// its servers' calls answer 503 docker_unreachable, and once it is back their real states return.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { CAN_START_ENGINE, copyImage, ENGINE_MISSING, HAS_OPENSSL, makeCa, needsDocker, TEST_IMAGE, throwawayEngine, tlsEngineEndpoint, type ThrowawayEngine } from '../helpers/docker.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';

type Server = { id: string; shortId: string; name: string; node: string; state: string };
type Capacity = { memoryMb: { total: number; allocated: number; free: number }; cpus: { total: number; allocated: number; free: number }; servers: number };
type Node = { id: string; name: string; health: { reachable: boolean; error: string | null } | null; capacity: Capacity | null };
type AuditEvent = { type: string; target: { id: string }; details: Record<string, unknown> };

/** Milliseconds a request took, with its answer. */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const res = await fn();
  return [res, Math.round(performance.now() - start)];
}

describe('several Docker Engines as nodes', () => {
  let panel: TestPanel;
  let admin: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'aether-multi-node-'));
  // The engine's own directory is short: containerd's sockets live under it (a Unix socket path has ~100 bytes).
  const engineDir = mkdtempSync('/tmp/aether-engine-');
  let engine: ThrowawayEngine | null = null;
  let endpoint: { port: number; close(): void } | null = null;
  let second = '';
  const made: Server[] = [];
  /** Set once the first test has both nodes up; the later ones build on it. */
  let ready = false;
  // Each node's servers publish on ports of their own: both engines share this host's ports.
  const ports = testPortRange(20);

  before(async () => {
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: { min: ports.min, max: ports.min + 9 }, maxLimits: { memoryMb: 100_000_000 } } }));
  });
  after(async () => {
    // The second engine back (if a test left it down), so its servers are deleted through the panel like the others.
    if (engine && !engine.running()) await engine.start().catch(() => undefined);
    for (const s of made) await admin.del(`/api/v1/servers/${s.id}`).catch(() => undefined);
    await panel.close();
    endpoint?.close();
    await engine?.close();
    rmSync(engineDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const create = async (name: string, extra: Record<string, unknown> = {}): Promise<Server> => {
    const res = await admin.post('/api/v1/servers', { name, template: 'test-server', ...extra });
    assert.equal(res.status, 201, res.text);
    made.push(res.body.server);
    return res.body.server as Server;
  };
  const server = async (s: Server): Promise<Server> => (await admin.get(`/api/v1/servers/${s.id}`)).body.server as Server;
  const nodes = async (): Promise<Record<string, Node>> => Object.fromEntries(((await admin.get('/api/v1/nodes')).body.items as Node[]).map((n) => [n.id, n]));
  const audit = async (type: string): Promise<AuditEvent[]> => (await admin.get(`/api/v1/audit?type=${type}`)).body.items as AuditEvent[];
  const placementOf = async (s: Server) => (await audit('server.created')).find((e) => e.target.id === s.id)!.details.placement as { mode: string; reason: string; refused: Array<{ node: string; reason: string }> };
  /** The container's state in the engine that holds it ('' when it has none there). */
  const containerState = (s: Server, on: 'local' | ThrowawayEngine) => {
    const args = ['ps', '-a', '--filter', `label=io.aether.server=${s.id}`, '--format', '{{.State}}'];
    return (on === 'local' ? spawnSync('docker', args, { encoding: 'utf8' }) : on.docker(...args)).stdout.trim();
  };
  const canRun = (t: TestContext) =>
    needsDocker(t) && needs(t, 'a second dockerd', CAN_START_ENGINE, ENGINE_MISSING) && needs(t, 'openssl', HAS_OPENSSL, 'not found: apt-get install openssl (it makes the test certificates)');

  let a: Server, b: Server, c: Server, d: Server;

  test('servers without a node go to the node with the most free memory; none fitting is 409 no_capacity', async (t) => {
    if (!canRun(t)) return;
    engine = throwawayEngine(engineDir, { addressPool: '10.213.0.0/16', bridgeCidr: '10.214.0.1/24' });
    await engine.start();
    copyImage(TEST_IMAGE, engine, dir);
    const ca = makeCa(dir, 'second');
    endpoint = await tlsEngineEndpoint(engine.socket, { ca: ca.ca, ...ca.issue('engine', true) });
    const client = ca.issue('panel', false);
    const added = await admin.post('/api/v1/nodes', {
      name: 'second',
      connection: { kind: 'tcp', host: '127.0.0.1', port: endpoint.port, ca: ca.ca, ...client },
      publicIp: '127.0.0.1',
      portRange: { min: ports.min + 10, max: ports.max },
    });
    assert.equal(added.status, 201, added.text);
    second = added.body.node.id;
    assert.equal(added.body.node.health.reachable, true, JSON.stringify(added.body.node.health));

    const before = await nodes();
    for (const id of ['local', second]) {
      const cap = before[id]!.capacity!;
      assert.ok(cap.memoryMb.total > 0 && cap.cpus.total > 0, `${id}: the engine's memory and CPUs are shown`);
      assert.deepEqual({ allocated: cap.memoryMb.allocated, free: cap.memoryMb.free, servers: cap.servers }, { allocated: 0, free: cap.memoryMb.total, servers: 0 });
    }

    // Both engines are this host, so the same size: what is placed on them decides.
    a = await create('On local by name', { node: 'local', limits: { memoryMb: 1024 } });
    b = await create('Auto one');
    assert.equal(b.node, second, 'local has 1024 MiB promised, the second node nothing');
    const placedB = await placementOf(b);
    assert.equal(placedB.mode, 'automatic');
    assert.match(placedB.reason, /^most free capacity: \d+ of \d+ MiB memory free, .* \(next: local, /);
    c = await create('On second by name', { node: second, limits: { memoryMb: 2048 } });
    d = await create('Auto two', { node: 'auto' });
    assert.equal(d.node, 'local', 'now the second node has 2112 MiB promised, local 1024');
    assert.equal((await placementOf(a)).mode, 'named');

    const after = await nodes();
    assert.deepEqual([after.local!.capacity!.memoryMb.allocated, after.local!.capacity!.servers], [1024 + 64, 2]);
    assert.deepEqual([after[second]!.capacity!.memoryMb.allocated, after[second]!.capacity!.servers, after[second]!.capacity!.cpus.allocated], [64 + 2048, 2, 1]);
    assert.equal(after[second]!.capacity!.memoryMb.free, after[second]!.capacity!.memoryMb.total - 2112);

    const tooBig = await admin.post('/api/v1/servers', { name: 'Too big', template: 'test-server', limits: { memoryMb: after.local!.capacity!.memoryMb.total + 1 } });
    assert.equal(tooBig.status, 409, tooBig.text);
    assert.equal(tooBig.body.error.code, 'no_capacity');
    assert.match(tooBig.body.error.message, /^No node can take this server: local: the server needs \d+ MiB of memory and \d+ MiB are free; second: /);
    ready = true;
  });

  test('servers run on both nodes, each in its own engine', async (t) => {
    if (!canRun(t) || !ready) return;
    for (const s of [b, d]) {
      const res = await admin.post(`/api/v1/servers/${s.id}/power`, { action: 'start' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.server.state, 'running');
    }
    assert.equal(containerState(b, engine!), 'running', 'the second node\'s server runs in the second engine');
    assert.equal(containerState(b, 'local'), '', 'and not in the local one');
    assert.equal(containerState(d, 'local'), 'running');
    assert.equal(containerState(d, engine!), '');
  });

  test('the second engine killed: its servers show unknown; the local node, the list and placement carry on; its calls are 503', async (t) => {
    if (!canRun(t) || !ready) return;
    await engine!.kill();
    const killedAt = performance.now();
    await eventually(async () => (await server(b)).state === 'unknown' && (await server(c)).state === 'unknown', 'the second node\'s servers to show unknown', 90_000, 250);
    t.diagnostic(`the second node's servers showed unknown ${Math.round(performance.now() - killedAt)} ms after its engine was killed`);
    assert.equal(containerState(b, engine!), '', 'the engine is gone (its container lives on under live-restore)');

    const [list, listMs] = await timed(() => admin.get('/api/v1/servers'));
    t.diagnostic(`GET /api/v1/servers with a node down: ${listMs} ms`);
    assert.equal(list.status, 200);
    const states = Object.fromEntries((list.body.items as Server[]).map((s) => [s.id, s.state]));
    assert.deepEqual([states[a.id], states[b.id], states[c.id], states[d.id]], ['stopped', 'unknown', 'unknown', 'running']);

    // The local node's server is stopped and started as ever.
    for (const [action, state] of [['stop', 'stopped'], ['start', 'running']] as const) {
      const [res, ms] = await timed(() => admin.post(`/api/v1/servers/${d.id}/power`, { action }));
      t.diagnostic(`${action} on the local node with the other node down: ${ms} ms`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.server.state, state);
    }

    // A new server goes to the node that answers, and the audit says why the other was passed over.
    const [placed, placeMs] = await timed(() => admin.post('/api/v1/servers', { name: 'Auto while down', template: 'test-server' }));
    t.diagnostic(`creating a server with a node down: ${placeMs} ms`);
    assert.equal(placed.status, 201, placed.text);
    made.push(placed.body.server);
    assert.equal(placed.body.server.node, 'local');
    assert.deepEqual((await placementOf(placed.body.server)).refused, [{ node: 'second', reason: 'its Docker Engine does not answer' }]);

    // The dead node's servers answer at once that its engine does not.
    for (const [what, call] of [
      ['stop', () => admin.post(`/api/v1/servers/${b.id}/power`, { action: 'stop' })],
      ['start', () => admin.post(`/api/v1/servers/${c.id}/power`, { action: 'start' })],
      ['stats', () => admin.get(`/api/v1/servers/${b.id}/stats`)],
      ['console', () => admin.post(`/api/v1/servers/${b.id}/console`, { command: 'say hello' })],
    ] as const) {
      const [res, ms] = await timed(call);
      t.diagnostic(`${what} on the dead node: ${res.status} in ${ms} ms`);
      assert.equal(res.status, 503, `${what}: ${res.text}`);
      assert.equal(res.body.error.code, 'docker_unreachable');
      assert.ok(res.headers['retry-after']);
    }
    const named = await admin.post('/api/v1/servers', { name: 'Named onto the dead node', template: 'test-server', node: second });
    assert.equal(named.status, 503, named.text);

    const [health, healthMs] = await timed(() => nodes());
    t.diagnostic(`GET /api/v1/nodes with a node down: ${healthMs} ms`);
    assert.equal(health[second]!.health!.reachable, false);
    assert.equal(health.local!.health!.reachable, true);
    const down = (await audit('node.unreachable')).filter((e) => e.target.id === second);
    assert.equal(down.length, 1, 'audited once');
    assert.deepEqual([down[0]!.details.servers, down[0]!.details.markedUnknown], [2, 2]);
    assert.equal((await audit('node.unreachable')).filter((e) => e.target.id === 'local').length, 0);
    // The admins hear of it: one open alert for the node.
    await eventually(async () => ((await admin.get('/api/v1/alerts?status=open&source=servers')).body.items as Array<{ title: string }>).some((x) => x.title.startsWith('Node second does not answer')), 'the alert for the node', 10_000);
  });

  test('the second engine back on the same data: its servers\' real states return and they work again', async (t) => {
    if (!canRun(t) || !ready) return;
    await engine!.start();
    const backAt = performance.now();
    await eventually(async () => (await server(b)).state === 'running' && (await server(c)).state === 'stopped', 'the second node\'s servers\' real states', 90_000, 250);
    t.diagnostic(`real states back ${Math.round(performance.now() - backAt)} ms after the engine answered again`);
    assert.equal(containerState(b, engine!), 'running', 'the container ran on while its engine was away');
    const up = (await audit('node.reachable')).filter((e) => e.target.id === second);
    assert.equal(up.length, 1, 'audited once');
    assert.equal(up[0]!.details.statesRestored, 2);
    // Its alert is resolved by the node answering again.
    await eventually(async () => {
      const open = (await admin.get('/api/v1/alerts?status=open&source=servers')).body.items as Array<{ title: string }>;
      return !open.some((x) => x.title.startsWith('Node second does not answer'));
    }, 'the node\'s alert resolved', 10_000);
    const resolved = (await admin.get('/api/v1/alerts?status=resolved&source=servers')).body.items as Array<{ title: string }>;
    assert.ok(resolved.some((x) => x.title.startsWith('Node second does not answer')));

    const stopped = await admin.post(`/api/v1/servers/${b.id}/power`, { action: 'stop' });
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal(stopped.body.server.state, 'stopped');
    assert.equal(containerState(b, engine!), 'exited');
    const started = await admin.post(`/api/v1/servers/${c.id}/power`, { action: 'start' });
    assert.equal(started.status, 200, started.text);
    assert.equal(containerState(c, engine!), 'running');
    assert.equal((await admin.post(`/api/v1/servers/${c.id}/power`, { action: 'kill' })).status, 200);
  });
});
