// Remote nodes reaching a real Docker Engine: over TLS with client certificates (a TLS endpoint that verifies them, as
// dockerd --tlsverify does, in front of the engine's socket) and over SSH (a real OpenSSH server running
// `docker system dial-stdio`). A server runs its whole life through each; a wrong client certificate or a host that
// answers with another SSH key is an engine that does not answer.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { DOCKER_SOCKET, HAS_OPENSSL, makeCa, needsDocker, tlsEngineEndpoint } from '../helpers/docker.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';
import { HAS_SSHD, SSHD_MISSING, startSshd } from '../helpers/sshd.ts';

describe('remote nodes on a real Docker Engine', () => {
  let panel: TestPanel;
  let admin: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'aether-remote-nodes-'));
  let tls: { port: number; close(): void } | null = null;
  let sshd: ChildProcess | null = null;
  const made: string[] = [];

  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
  });
  after(async () => {
    for (const id of made) await admin.del(`/api/v1/servers/${id}`).catch(() => undefined);
    await panel.close();
    tls?.close();
    sshd?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Adds a node; its port range is its own, so its servers do not meet those of other test files. */
  const addNode = async (name: string, connection: Record<string, unknown>) => {
    const ports = testPortRange();
    const res = await admin.post('/api/v1/nodes', { name, connection, publicIp: '127.0.0.1', portRange: ports });
    assert.equal(res.status, 201, res.text);
    return res.body.node as { id: string; health: { reachable: boolean; version?: string | null } | null; connection: Record<string, unknown> };
  };

  /** A server made, started, read, stopped and deleted on the node, and its container seen in the engine. */
  const fullLife = async (nodeId: string) => {
    const created = await admin.post('/api/v1/servers', { name: `On ${nodeId.slice(0, 6)}`, template: 'test-server', node: nodeId });
    assert.equal(created.status, 201, created.text);
    const id = created.body.server.id as string;
    made.push(id);
    assert.equal(created.body.server.node, nodeId);
    assert.equal((await admin.post(`/api/v1/servers/${id}/power`, { action: 'start' })).status, 200);
    const running = spawnSync('docker', ['ps', '--filter', `label=io.aether.server=${id}`, '--format', '{{.State}}'], { encoding: 'utf8' });
    assert.equal(running.stdout.trim(), 'running', 'the container runs in the engine behind the node');
    const stats = await admin.get(`/api/v1/servers/${id}/stats`);
    assert.equal(stats.status, 200, stats.text);
    assert.equal(stats.body.stats.running, true);
    const stopped = await admin.post(`/api/v1/servers/${id}/power`, { action: 'stop' });
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal(stopped.body.server.state, 'stopped');
    assert.equal((await admin.del(`/api/v1/servers/${id}`)).status, 204);
    made.splice(made.indexOf(id), 1);
    const left = spawnSync('docker', ['ps', '-a', '--filter', `label=io.aether.server=${id}`, '--format', '{{.ID}}'], { encoding: 'utf8' });
    assert.equal(left.stdout.trim(), '');
  };

  test('TLS with client certificates: a server lives its whole life through the node; a certificate from another CA is refused', async (t) => {
    if (!needsDocker(t)) return;
    if (!needs(t, 'openssl', HAS_OPENSSL, 'not found: apt-get install openssl (it makes the test certificates)')) return;
    const trusted = makeCa(dir, 'engine');
    const server = trusted.issue('engine', true);
    const client = trusted.issue('panel', false);
    const stranger = makeCa(dir, 'stranger').issue('panel', false);
    // The engine's TLS endpoint: only clients with a certificate of its CA get through to the engine.
    tls = await tlsEngineEndpoint(DOCKER_SOCKET, { ca: trusted.ca, ...server });
    const port = tls.port;

    const node = await addNode('tls-engine', { kind: 'tcp', host: '127.0.0.1', port, ca: trusted.ca, cert: client.cert, key: client.key });
    assert.equal(node.health?.reachable, true, JSON.stringify(node.health));
    await fullLife(node.id);

    const refused = await addNode('tls-stranger', { kind: 'tcp', host: '127.0.0.1', port, ca: trusted.ca, cert: stranger.cert, key: stranger.key });
    assert.equal(refused.health?.reachable, false, 'a client certificate of another CA does not get through');
    const res = await admin.post('/api/v1/servers', { name: 'Refused', template: 'test-server', node: refused.id });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'docker_unreachable');
  });

  test('SSH: the host key is pinned; a server lives its whole life through the node; another host key is refused', async (t) => {
    if (!needsDocker(t)) return;
    if (!needs(t, 'sshd', HAS_SSHD, SSHD_MISSING)) return;
    const ssh = join(dir, 'ssh');
    const server = await startSshd(ssh);
    sshd = server.process;
    const port = server.port;
    const log = () => server.log();
    const privateKey = readFileSync(server.clientKey, 'utf8');
    const hostLine = server.hostPub;
    const node = await addNode('ssh-engine', { kind: 'ssh', host: '127.0.0.1', port, username: 'root', privateKey, hostKey: hostLine });
    // The key line is kept as the fingerprint ssh-keygen prints for it.
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', server.hostPubFile], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(node.connection.hostKeyFingerprint, printed);
    assert.ok(!JSON.stringify(node).includes('PRIVATE KEY'));
    assert.equal(node.health?.reachable, true, `${JSON.stringify(node.health)}\n${log()}`);
    await fullLife(node.id);

    // The same host, pinned to another key (as if a man in the middle answered): nothing is sent to it. The first
    // node goes first, so that its own checks (every 15 s) log in no more while the logins are counted.
    assert.equal((await admin.del(`/api/v1/nodes/${node.id}`)).status, 204);
    const otherPrint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', server.otherHostPubFile], { encoding: 'utf8' }).split(' ')[1]!;
    const before = log().split('Accepted publickey').length;
    const pinnedElsewhere = await addNode('ssh-mitm', { kind: 'ssh', host: '127.0.0.1', port, username: 'root', privateKey, hostKey: otherPrint });
    assert.equal(pinnedElsewhere.health?.reachable, false);
    assert.equal(log().split('Accepted publickey').length, before, 'the panel did not log in to a host with the wrong key');

    const bad = await admin.post('/api/v1/nodes', { name: 'ssh-bad', connection: { kind: 'ssh', host: '127.0.0.1', port, username: 'root', privateKey, hostKey: 'SHA256:short' }, publicIp: '127.0.0.1', portRange: { min: 40000, max: 40001 } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /hostKey/);
  });
});
