// Remote Docker nodes through the API: added with TLS client certificates (kept encrypted, never shown again), their
// health checked, an unreachable one answering 503 docker_unreachable, removal rules.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
