// The admin IP allowlist: from config and from the panel, the lock-out guard, CIDR validation, and that only admins are bound by it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient, type Res } from '../helpers/client.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

const ALLOWLIST = '/api/v1/settings/allowlist';

function assertIpNotAllowed(res: Res): void {
  assert.equal(res.status, 403, res.text);
  assert.equal(res.body.error.code, 'ip_not_allowed');
}

async function adminFrom(panel: TestPanel, localAddress: string): Promise<{ client: TestClient; res: Res }> {
  const client = new TestClient(panel.url, { localAddress });
  const res = await client.login(ADMIN.username, ADMIN.password);
  return { client, res };
}

const panelCidrs = async (admin: TestClient): Promise<string[]> =>
  ((await admin.get(ALLOWLIST)).body.entries as Array<{ cidr: string; source: string }>).filter((e) => e.source === 'panel').map((e) => e.cidr);

describe('allowlist from config that excludes the admin\'s address', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    // The admin is created from the one allowed address (setup obeys the allowlist too); the same session then
    // arrives from 127.0.0.1, as a stolen cookie or a changed network would.
    const setup = await panelWithAdmin({ security: { adminAllowlist: ['10.9.9.0/24', '127.0.0.2/32'] } }, { localAddress: '127.0.0.2' });
    panel = setup.panel;
    admin = new TestClient(panel.url, { localAddress: '127.0.0.1' });
    for (const [k, v] of setup.admin.jar) admin.jar.set(k, v);
    admin.csrf = setup.admin.csrf;
    assert.equal((await setup.admin.get('/api/v1/users/me')).status, 200, 'allowed from 127.0.0.2');
  });
  after(() => panel.close());

  test('an admin request from 127.0.0.1 is 403 ip_not_allowed and audited', async () => {
    assertIpNotAllowed(await admin.get('/api/v1/users'));
    const [event] = await panel.services.audit.list({ type: 'auth.ip_not_allowed', limit: 10 });
    assert.equal(event?.ip, '127.0.0.1');
    assert.equal(event?.actor.name, ADMIN.username);
    assert.equal(event?.target.name, 'GET /api/v1/users');
    assert.equal(event?.outcome, 'denied');
  });

  test('even the admin\'s own-account routes are refused', async () => {
    assertIpNotAllowed(await admin.get('/api/v1/users/me'));
  });

  test('an admin login from 127.0.0.1 is 403 ip_not_allowed, starts no session and is audited', async () => {
    const { res } = await adminFrom(panel, '127.0.0.1');
    assertIpNotAllowed(res);
    assert.equal(res.headers['set-cookie'], undefined);
    const [event] = await panel.services.audit.list({ type: 'auth.login.failure', limit: 10 });
    assert.equal(event?.details.reason, 'ip_not_allowed');
    assert.equal(event?.ip, '127.0.0.1');
  });

  test('the config entries are listed with source config', async () => {
    const entries = await panel.services.allowlist.entries();
    assert.deepEqual(entries, [
      { cidr: '10.9.9.0/24', source: 'config' },
      { cidr: '127.0.0.2/32', source: 'config' },
    ]);
  });
});

describe('allowlist set in the panel', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let operator: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    operator = await createUser(panel, admin, ['operator'], { localAddress: '127.0.0.2' });
  });
  after(() => panel.close());

  test('starts empty and reports the caller\'s address', async () => {
    const res = await admin.get(ALLOWLIST);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { entries: [], yourIp: '127.0.0.1' });
  });

  test('a list that would lock the caller out is 409 allowlist_lockout and changes nothing', async () => {
    const res = await admin.put(ALLOWLIST, { cidrs: ['10.0.0.0/8'] });
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.error.code, 'allowlist_lockout');
    assert.deepEqual(await panelCidrs(admin), []);
    assert.equal((await admin.get('/api/v1/users')).status, 200, 'still allowed everywhere');
  });

  test('a list holding the caller\'s address is saved', async () => {
    const res = await admin.put(ALLOWLIST, { cidrs: ['127.0.0.0/8', '::1/128'] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.entries, [
      { cidr: '127.0.0.0/8', source: 'panel' },
      { cidr: '::1/128', source: 'panel' },
    ]);
    const [event] = await panel.services.audit.list({ type: 'settings.allowlist_changed', limit: 1 });
    assert.deepEqual(event?.details, { before: [], after: ['127.0.0.0/8', '::1/128'] });
  });

  test('an admin from 127.0.0.2 is inside 127.0.0.0/8', async () => {
    const { client, res } = await adminFrom(panel, '127.0.0.2');
    assert.equal(res.status, 200, res.text);
    assert.equal((await client.get('/api/v1/users')).status, 200);
  });

  test('narrowed to 127.0.0.1/32: an admin from 127.0.0.2 is refused, on the live session and at login', async () => {
    const { client } = await adminFrom(panel, '127.0.0.2');
    assert.equal((await admin.put(ALLOWLIST, { cidrs: ['127.0.0.1/32'] })).status, 200);
    assertIpNotAllowed(await client.get('/api/v1/users'));
    assertIpNotAllowed((await adminFrom(panel, '127.0.0.2')).res);
    assert.equal((await admin.get('/api/v1/users')).status, 200, 'the admin at 127.0.0.1 is unaffected');
  });

  test('a user without the admin scope from 127.0.0.2 is not affected', async () => {
    assert.equal((await operator.client.get('/api/v1/users')).status, 200);
    const fresh = new TestClient(panel.url, { localAddress: '127.0.0.2' });
    assert.equal((await fresh.login(operator.username, operator.password)).status, 200);
  });

  test('an IPv6 range is accepted and normalised', async () => {
    const res = await admin.put(ALLOWLIST, { cidrs: ['127.0.0.1', '2001:DB8::/32', 'fe80::1'] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(await panelCidrs(admin), ['127.0.0.1/32', '2001:db8::/32', 'fe80::1/128']);
  });

  const invalid: Array<{ name: string; cidr: string }> = [
    { name: 'IPv4 prefix over 32', cidr: '10.0.0.0/33' },
    { name: 'IPv6 prefix over 128', cidr: '::1/129' },
    { name: 'a host name', cidr: 'localhost' },
    { name: 'an octet over 255', cidr: '300.1.1.1' },
    { name: 'a negative prefix', cidr: '10.0.0.0/-1' },
    { name: 'two slashes', cidr: '10.0.0.0/8/8' },
    { name: 'a NUL byte', cidr: '127.0.0.1\u0000' },
  ];
  for (const c of invalid) {
    test(`invalid CIDR (${c.name}) is 400 invalid_cidr and changes nothing`, async () => {
      const before = await panelCidrs(admin);
      const res = await admin.put(ALLOWLIST, { cidrs: ['127.0.0.1/32', c.cidr] });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error.code, 'invalid_cidr');
      assert.deepEqual(await panelCidrs(admin), before);
    });
  }

  test('an empty list lets admins in from anywhere again', async () => {
    assert.equal((await admin.put(ALLOWLIST, { cidrs: [] })).status, 200);
    const { client, res } = await adminFrom(panel, '127.0.0.2');
    assert.equal(res.status, 200);
    assert.equal((await client.get('/api/v1/users')).status, 200);
  });
});
