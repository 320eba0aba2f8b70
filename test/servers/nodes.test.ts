// Remote Docker nodes through the API: added with TLS client certificates (kept encrypted, never shown again), their
// health checked, an unreachable one answering 503 docker_unreachable, one that never answers given up on after a few
// seconds and then not waited for, removal rules.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';

const OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

describe('Docker nodes', () => {
  let panel: TestPanel;
  let admin: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'aether-node-certs-'));
  let cert = '';
  let key = '';

  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    if (!OPENSSL) return;
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=docker-client', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
  });
  after(async () => {
    await panel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a TCP node with client certificates: keys sealed, health shown, an unreachable engine is 503', async (t) => {
    if (!needs(t, 'openssl', OPENSSL, 'not found: apt-get install openssl (it makes the test certificates)')) return;
    const res = await admin.post('/api/v1/nodes', {
      name: 'far-away',
      connection: { kind: 'tcp', host: '127.0.0.1', port: 9, ca: cert, cert, key },
      publicIp: '192.0.2.10',
      portRange: { min: 30000, max: 30010 },
    });
    assert.equal(res.status, 201, res.text);
    const node = res.body.node;
    assert.deepEqual(node.connection, { host: '127.0.0.1', port: 9 });
    assert.equal(node.health.reachable, false);
    assert.ok(!res.text.includes('PRIVATE KEY'));
    assert.ok(!(await admin.get('/api/v1/nodes')).text.includes('PRIVATE KEY'));
    assert.ok(!JSON.stringify(await panel.db('nodes').select('*')).includes('PRIVATE KEY'), 'the key is encrypted at rest');

    const server = await admin.post('/api/v1/servers', { name: 'Remote', template: 'test-server', node: node.id });
    assert.equal(server.status, 503, server.text);
    assert.equal(server.body.error.code, 'docker_unreachable');
    assert.equal((await panel.db('servers').where({ node_id: node.id })).length, 0, 'nothing half-made stays');

    const dup = await admin.post('/api/v1/nodes', { name: 'FAR-AWAY', connection: { kind: 'tcp', host: 'h', port: 2376, ca: cert, cert, key }, publicIp: '192.0.2.11', portRange: { min: 30000, max: 30010 } });
    assert.equal(dup.status, 409);
    assert.equal((await admin.del(`/api/v1/nodes/${node.id}`)).status, 204);
    assert.equal((await admin.del('/api/v1/nodes/local')).body.error.code, 'local_node');
  });

  test('an engine that takes connections and never answers: unreachable after the check\'s timeout, then calls fail at once', async (t) => {
    if (!needs(t, 'openssl', OPENSSL, 'not found: apt-get install openssl (it makes the test certificates)')) return;
    // A host that accepts the connection and then says nothing (a hung engine, a firewall that swallows packets).
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of held) s.destroy();
      silent.close();
    });
    const port = (silent.address() as AddressInfo).port;
    const res = await admin.post('/api/v1/nodes', { name: 'silent', connection: { kind: 'tcp', host: '127.0.0.1', port, ca: cert, cert, key }, publicIp: '192.0.2.12', portRange: { min: 30020, max: 30030 } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual([res.body.node.health.reachable, res.body.node.health.error], [false, 'no answer within 5 s']);
    assert.equal(res.body.node.capacity, null, 'an engine that never answered has no known capacity');
    const started = Date.now();
    const server = await admin.post('/api/v1/servers', { name: 'On the silent node', template: 'test-server', node: res.body.node.id });
    t.diagnostic(`a server named onto the silent node: ${server.status} in ${Date.now() - started} ms`);
    assert.equal(server.status, 503, server.text);
    assert.equal(server.body.error.code, 'docker_unreachable');
    assert.equal((await admin.del(`/api/v1/nodes/${res.body.node.id}`)).status, 204);
  });

  test('bad node input is a 4xx; only nodes.edit may add nodes', async () => {
    const plain = await admin.post('/api/v1/nodes', { name: 'plain', connection: { kind: 'tcp', host: 'h', port: 2375 }, publicIp: '192.0.2.10', portRange: { min: 30000, max: 30010 } });
    assert.equal(plain.status, 400, 'plain TCP without certificates is refused');
    const socket = await admin.post('/api/v1/nodes', { name: 'sock', connection: { kind: 'socket', socketPath: '/var/run/docker.sock' }, publicIp: '192.0.2.10', portRange: { min: 30000, max: 30010 } });
    assert.equal(socket.status, 400);
    const range = await admin.post('/api/v1/nodes', { name: 'r', connection: { kind: 'ssh', host: 'h', username: 'u', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----' }, publicIp: 'nope', portRange: { min: 40000, max: 30000 } });
    assert.equal(range.status, 400);
    const { client: auditor } = await createUser(panel, admin, ['auditor']);
    assert.equal((await auditor.get('/api/v1/nodes')).status, 200);
    assert.equal((await auditor.post('/api/v1/nodes', { name: 'x' })).status, 403);
  });
});
