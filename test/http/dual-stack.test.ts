// A panel listening on "::" (IPv4 and IPv6): clients are seen by their real address, and the admin allowlist tells the families apart.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test, type TestContext } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';

const ALLOWLIST = '/api/v1/settings/allowlist';

function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

describe('a dual-stack listener (http.host "::")', () => {
  let available = false;
  let panel: TestPanel | undefined;
  let admin4: TestClient;
  let admin6: TestClient;
  const ready = (t: TestContext) => needs(t, 'IPv6 loopback (::1)', available, 'is not configured on this machine: enable IPv6 on lo');

  before(async () => {
    available = await ipv6Loopback();
    if (!available) return;
    panel = await startPanel({ http: { host: '::', port: 0 } });
    const port = new URL(panel.url).port;
    // setupAdmin signs in over IPv4 (127.0.0.1), which reaches a "::" listener as ::ffff:127.0.0.1.
    admin4 = await setupAdmin(panel);
    admin6 = new TestClient(`http://[::1]:${port}`);
    assert.equal((await admin6.login(ADMIN.username, ADMIN.password)).status, 200);
  });
  after(async () => {
    await panel?.close();
  });

  test('an IPv4 client is seen as 127.0.0.1, not as ::ffff:127.0.0.1', async (t) => {
    if (!ready(t)) return;
    const res = await admin4.get(ALLOWLIST);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.yourIp, '127.0.0.1');
  });

  test('an IPv6 client is seen as ::1, in the API, its session list and the audit trail', async (t) => {
    if (!ready(t)) return;
    assert.equal((await admin6.get(ALLOWLIST)).body.yourIp, '::1');
    const sessions = await admin6.get('/api/v1/users/me/sessions');
    const current = sessions.body.items.find((s: { current: boolean }) => s.current);
    assert.equal(current?.ip, '::1');
    const logins = await panel!.services.audit.list({ type: 'auth.login.success', limit: 10 });
    assert.deepEqual(new Set(logins.map((e) => e.ip)), new Set(['127.0.0.1', '::1']));
  });

  test('an allowlist of 127.0.0.0/8 admits the admin over IPv4 and refuses the same admin over IPv6, until ::1 is added', async (t) => {
    if (!ready(t)) return;
    assert.equal((await admin4.put(ALLOWLIST, { cidrs: ['127.0.0.0/8'] })).status, 200);
    assert.equal((await admin4.get('/api/v1/users/me')).status, 200);
    const refused = await admin6.get('/api/v1/users/me');
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, 'ip_not_allowed');

    assert.equal((await admin4.put(ALLOWLIST, { cidrs: ['127.0.0.0/8', '::1'] })).status, 200);
    assert.equal((await admin6.get('/api/v1/users/me')).status, 200);
  });
});
