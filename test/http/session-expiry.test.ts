// Server-side session lifetime: idle and absolute expiry on the panel's clock, logout, revocation, password change, disable and delete.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createManualClock } from '../../src/shared/clock.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, createUser, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A fresh client carrying only the given plain session cookie. */
function replay(base: string, value: string): TestClient {
  const c = new TestClient(base);
  c.jar.set('aether_session', value);
  return c;
}

async function signIn(panel: TestPanel, username = ADMIN.username, password = ADMIN.password): Promise<TestClient> {
  const client = new TestClient(panel.url);
  const res = await client.login(username, password);
  assert.equal(res.status, 200, res.text);
  return client;
}

const me = async (c: TestClient) => (await c.get('/api/v1/users/me')).status;

async function sessionRows(panel: TestPanel, userId: string): Promise<number> {
  const row = (await panel.db('sessions').where({ user_id: userId }).count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

async function expiredReasons(panel: TestPanel): Promise<string[]> {
  return (await panel.services.audit.list({ type: 'auth.session.expired', limit: 50 })).map((e) => String(e.details.reason));
}

describe('idle and absolute expiry (30 min idle, 12 h absolute)', () => {
  const clock = createManualClock();
  let panel: TestPanel;
  before(async () => {
    panel = await startPanel({}, { clock });
    await setupAdmin(panel);
  });
  after(() => panel.close());

  test('the session reports its idle and absolute expiry from the panel clock', async () => {
    const client = await signIn(panel);
    const start = clock.now();
    clock.advance(5 * MIN);
    const res = await client.get('/api/v1/auth/session');
    assert.equal(res.status, 200);
    assert.equal(res.body.absoluteExpiresAt, new Date(start + 12 * HOUR).toISOString());
    assert.equal(res.body.idleExpiresAt, new Date(start + 5 * MIN + 30 * MIN).toISOString());
  });

  test('29 minutes idle is still signed in; 31 minutes idle is 401', async () => {
    const client = await signIn(panel);
    clock.advance(29 * MIN);
    assert.equal(await me(client), 200);
    clock.advance(31 * MIN);
    assert.equal(await me(client), 401);
    assert.equal((await client.get('/api/v1/auth/session')).status, 401);
    assert.equal((await expiredReasons(panel))[0], 'idle');
  });

  test('activity is recorded at most once a minute, so idle time counts from the last recorded request', async () => {
    const client = await signIn(panel);
    clock.advance(30_000);
    assert.equal(await me(client), 200, 'within the touch interval: not written');
    clock.advance(29 * MIN + 45_000);
    assert.equal(await me(client), 401, '30 min 15 s after the last recorded activity');
  });

  test('activity every 20 minutes keeps the session until the 12 h absolute limit, then 401', async () => {
    const client = await signIn(panel);
    const start = clock.now();
    for (let i = 1; i <= 35; i += 1) {
      clock.advance(20 * MIN);
      assert.equal(await me(client), 200, `after ${i * 20} min`);
    }
    clock.set(start + 12 * HOUR - MIN);
    assert.equal(await me(client), 200, 'one minute before the absolute limit');
    clock.set(start + 12 * HOUR);
    assert.equal(await me(client), 401, 'at the absolute limit');
    assert.equal((await expiredReasons(panel))[0], 'absolute');
  });

  test('an expired session is deleted, not merely refused', async () => {
    const client = await signIn(panel);
    const id = (await client.get('/api/v1/users/me')).body.user.id as string;
    const before = await sessionRows(panel, id);
    clock.advance(31 * MIN);
    assert.equal(await me(client), 401);
    assert.equal(await sessionRows(panel, id), before - 1);
  });
});

describe('ending sessions on the server', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    panel = await startPanel();
    admin = await setupAdmin(panel);
  });
  after(() => panel.close());

  test('logout destroys the session: replaying the old cookie is 401', async () => {
    const client = await signIn(panel);
    const cookie = client.jar.get('aether_session')!;
    assert.equal((await client.post('/api/v1/auth/logout')).status, 204);
    assert.equal(client.jar.has('aether_session'), false, 'the cookie is cleared');
    assert.equal(await me(replay(panel.url, cookie)), 401);
  });

  test('revoking one of my sessions from another session ends it', async () => {
    const a = await signIn(panel);
    const b = await signIn(panel);
    const bId = ((await b.get('/api/v1/users/me/sessions')).body.items as Array<{ id: string; current: boolean }>).find((s) => s.current)!.id;
    const seenByA = (await a.get('/api/v1/users/me/sessions')).body.items as Array<{ id: string; current: boolean }>;
    assert.equal(seenByA.find((s) => s.id === bId)?.current, false);

    assert.equal((await a.del(`/api/v1/users/me/sessions/${bId}`)).status, 204);
    assert.equal(await me(b), 401);
    assert.equal(await me(a), 200);
  });

  test('another user\'s session cannot be revoked through /users/me/sessions', async () => {
    const other = await createUser(panel, admin, ['auditor']);
    const otherId = ((await other.client.get('/api/v1/users/me/sessions')).body.items as Array<{ id: string }>)[0]!.id;
    const res = await admin.del(`/api/v1/users/me/sessions/${otherId}`);
    assert.equal(res.status, 404);
    assert.equal(await me(other.client), 200);
  });

  test('a password change ends my other sessions and keeps this one on a new id and CSRF token', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    const a = user.client;
    const b = await signIn(panel, user.username, user.password);
    const oldCookie = a.jar.get('aether_session')!;
    const oldCsrf = a.csrf!;
    const newPassword = 'Brand-New-Lantern-Pass-42';

    const res = await a.post('/api/v1/users/me/password', { currentPassword: user.password, newPassword });
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.body.csrfToken, 'string');
    assert.notEqual(res.body.csrfToken, oldCsrf);

    assert.equal(await me(b), 401, 'the other session is gone');
    assert.equal(await me(replay(panel.url, oldCookie)), 401, 'this session\'s old id is gone');
    assert.notEqual(a.jar.get('aether_session'), oldCookie);
    assert.equal(await me(a), 200, 'this session continues');

    const stale = await a.json('POST', '/api/v1/auth/logout', undefined, { 'X-CSRF-Token': oldCsrf });
    assert.equal(stale.status, 403);
    assert.equal(stale.body.error.code, 'csrf_failed');
    a.csrf = res.body.csrfToken;
    assert.equal((await a.post('/api/v1/auth/logout')).status, 204, 'the new CSRF token works');

    assert.equal((await new TestClient(panel.url).login(user.username, user.password)).status, 401);
    assert.equal((await new TestClient(panel.url).login(user.username, newPassword)).status, 200);
  });

  test('disabling a user ends their sessions; enabling again does not bring them back', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    assert.equal(await me(user.client), 200);
    assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: true })).status, 200);
    assert.equal(await me(user.client), 401);
    assert.equal(await sessionRows(panel, user.id), 0);
    assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: false })).status, 200);
    assert.equal(await me(user.client), 401);
  });

  test('deleting a user ends their sessions', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    const cookie = user.client.jar.get('aether_session')!;
    assert.equal((await admin.del(`/api/v1/users/${user.id}`)).status, 204);
    assert.equal(await me(user.client), 401);
    assert.equal(await me(replay(panel.url, cookie)), 401);
    assert.equal(await sessionRows(panel, user.id), 0);
  });
});
