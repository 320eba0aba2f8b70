// The panel's own uptime as Gatus measured it (a stand-in answering Gatus's public badge and uptime routes as Gatus
// documents them), for the dashboard; an endpoint Gatus does not answer for is unknown, never an error; and the alert token Gatus is given in its environment.
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/index.ts';
import { gatusKey, PANEL_ENDPOINTS } from '../../src/gatus/index.ts';
import { gatusAlertToken } from '../../src/services.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';

test('GET /api/v1/uptime: the web panel and SFTP as Gatus sees them', async (t) => {
  const known: Record<string, { state: string; day: string; week: string }> = {
    [gatusKey(PANEL_ENDPOINTS.web.group, PANEL_ENDPOINTS.web.name)]: { state: 'up', day: '1', week: '0.998512' },
    [gatusKey(PANEL_ENDPOINTS.sftp.group, PANEL_ENDPOINTS.sftp.name)]: { state: 'down', day: '0.5', week: '0.9' },
  };
  const asked: string[] = [];
  const standIn = createServer((req, res) => {
    const m = /^\/api\/v1\/endpoints\/([^/]+)\/(health\/badge\.shields|uptimes\/24h|uptimes\/7d)$/.exec(req.url ?? '');
    const entry = m ? known[decodeURIComponent(m[1]!)] : undefined;
    asked.push(req.url ?? '');
    if (!m || !entry) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('endpoint not found');
    if (m[2] === 'health/badge.shields') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ schemaVersion: 1, label: 'gatus', message: entry.state, color: 'green' }));
    else res.writeHead(200, { 'Content-Type': 'text/plain' }).end(m[2] === 'uptimes/24h' ? entry.day : entry.week);
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  t.after(() => standIn.close());
  const apiUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  const { panel, admin } = await panelWithAdmin({
    sftp: { enabled: true },
    gatus: { apiUrl, statusPageUrl: 'https://status.example.test' },
  });
  t.after(() => panel.close());

  const res = await admin.get('/api/v1/uptime');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    available: true,
    statusPageUrl: 'https://status.example.test',
    items: [
      { name: 'Web panel', key: 'panel_web-panel', state: 'up', uptime24h: 1, uptime7d: 0.998512 },
      { name: 'SFTP', key: 'panel_sftp', state: 'down', uptime24h: 0.5, uptime7d: 0.9 },
    ],
  });
  assert.ok(asked.includes('/api/v1/endpoints/panel_sftp/uptimes/7d'));

  // A server owner has no nodes.view: the panel's own health is not theirs to see.
  const owner = await createUser(panel, admin, ['server-owner']);
  const refused = await owner.client.get('/api/v1/uptime');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'forbidden');

  // Gatus gone: every endpoint unknown, the request still answers.
  await new Promise<void>((resolve) => standIn.close(() => resolve()));
  const gone = await admin.get('/api/v1/uptime');
  assert.equal(gone.status, 200);
  assert.deepEqual(gone.body.items.map((i: { state: string; uptime24h: number | null }) => [i.state, i.uptime24h]), [['unknown', null], ['unknown', null]]);
});

test('GET /api/v1/uptime without Gatus configured says so', async (t) => {
  const { panel, admin } = await panelWithAdmin();
  t.after(() => panel.close());
  const res = await admin.get('/api/v1/uptime');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { available: false, statusPageUrl: null, items: [] });
});

test('Gatus\'s alert token: from AETHER_GATUS_TOKEN when given, else a key file kept across starts', () => {
  const keys = mkdtempSync(join(tmpdir(), 'aether-gatus-token-'));
  const made = gatusAlertToken(keys, {});
  assert.match(made, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  assert.equal(gatusAlertToken(keys, {}), made, 'the same token on the next start');
  assert.equal(statSync(join(keys, 'gatus-alerts.key')).mode & 0o777, 0o600);
  const given = 'a'.repeat(24) + 'b'.repeat(40);
  assert.equal(gatusAlertToken(keys, { AETHER_GATUS_TOKEN: given }), given);
  for (const weak of ['short', 'x'.repeat(31), `${'y'.repeat(40)} z`]) {
    assert.throws(() => gatusAlertToken(keys, { AETHER_GATUS_TOKEN: weak }), (err: unknown) => err instanceof ConfigError && /AETHER_GATUS_TOKEN/.test(err.message));
  }
});
