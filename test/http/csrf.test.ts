// CSRF defence: cookie-authenticated mutations need this session's X-CSRF-Token and a same-origin Origin; reads and login are covered too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient, type Res } from '../helpers/client.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

type Call = { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown; ok: number };

/** A copy of a signed-in client that sends a different Origin (null: none at all). */
function withOrigin(client: TestClient, origin: string | null): TestClient {
  const copy = new TestClient(client.base, { origin });
  for (const [k, v] of client.jar) copy.jar.set(k, v);
  copy.csrf = client.csrf;
  return copy;
}

function assertCsrfRefused(res: Res): void {
  assert.equal(res.status, 403, res.text);
  assert.equal(res.body.error.code, 'csrf_failed');
}

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${(seq += 1)}`;

describe('CSRF on cookie-authenticated mutations', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let targetId: string;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    targetId = (await createUser(panel, admin, ['auditor'])).id;
  });
  after(() => panel.close());

  /** Each case builds a fresh, valid request, so a refused attempt can be followed by a successful one. */
  const cases: Array<{ name: string; make: () => Promise<Call> }> = [
    {
      name: 'POST /roles',
      make: async () => ({ method: 'POST', path: '/api/v1/roles', body: { name: unique('csrf-role'), scopes: ['users.view'] }, ok: 201 }),
    },
    {
      name: 'PUT /settings/allowlist',
      make: async () => ({ method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: ['127.0.0.0/8'] }, ok: 200 }),
    },
    {
      name: 'PATCH /users/:id',
      make: async () => ({ method: 'PATCH', path: `/api/v1/users/${targetId}`, body: { email: `${unique('csrf')}@example.test` }, ok: 200 }),
    },
    {
      name: 'DELETE /roles/:id',
      make: async () => {
        const role = await admin.post('/api/v1/roles', { name: unique('doomed'), scopes: ['users.view'] });
        assert.equal(role.status, 201);
        return { method: 'DELETE', path: `/api/v1/roles/${role.body.role.id}`, ok: 204 };
      },
    },
  ];

  for (const c of cases) {
    describe(c.name, () => {
      const send = (client: TestClient, call: Call, headers: Record<string, string> = {}) => client.json(call.method, call.path, call.body, headers);

      test('without X-CSRF-Token: 403 csrf_failed', async () => {
        const call = await c.make();
        const tokenless = withOrigin(admin, admin.base);
        tokenless.csrf = null;
        assertCsrfRefused(await send(tokenless, call));
      });
      test('with a wrong token: 403 csrf_failed', async () => {
        const call = await c.make();
        assertCsrfRefused(await send(admin, call, { 'X-CSRF-Token': `${admin.csrf!.slice(0, -2)}AA` }));
      });
      test('with the right token but a foreign Origin: 403 csrf_failed', async () => {
        const call = await c.make();
        assertCsrfRefused(await send(withOrigin(admin, 'https://evil.example'), call));
      });
      test('with the right token but no Origin: 403 csrf_failed', async () => {
        const call = await c.make();
        assertCsrfRefused(await send(withOrigin(admin, null), call));
      });
      test('with the right token, no Origin and a foreign Referer: 403 csrf_failed', async () => {
        const call = await c.make();
        assertCsrfRefused(await send(withOrigin(admin, null), call, { Referer: 'https://evil.example/page' }));
      });
      test('with the right token and Origin: succeeds', async () => {
        const call = await c.make();
        const res = await send(admin, call);
        assert.equal(res.status, call.ok, res.text);
      });
    });
  }

  test('a refused request changes nothing', async () => {
    const before = (await admin.get(`/api/v1/users/${targetId}`)).body.user.email as string;
    const res = await admin.json('PATCH', `/api/v1/users/${targetId}`, { email: 'stolen@evil.example' }, { 'X-CSRF-Token': 'nope' });
    assertCsrfRefused(res);
    assert.equal((await admin.get(`/api/v1/users/${targetId}`)).body.user.email, before);
  });

  test('the token of another session does not work', async () => {
    const other = new TestClient(panel.url);
    assert.equal((await other.login(ADMIN.username, ADMIN.password)).status, 200);
    assert.notEqual(other.csrf, admin.csrf);
    const res = await admin.json('POST', '/api/v1/roles', { name: unique('cross'), scopes: ['users.view'] }, { 'X-CSRF-Token': other.csrf! });
    assertCsrfRefused(res);
  });

  test('GET needs no token and no Origin', async () => {
    const bare = withOrigin(admin, null);
    bare.csrf = null;
    const res = await bare.get('/api/v1/users');
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body.items));
  });

  test('the token GET /auth/session returns is the one that works', async () => {
    const fresh = withOrigin(admin, admin.base);
    fresh.csrf = (await fresh.get('/api/v1/auth/session')).body.csrfToken;
    assert.equal(fresh.csrf, admin.csrf);
    assert.equal((await fresh.post('/api/v1/roles', { name: unique('via-session'), scopes: ['users.view'] })).status, 201);
  });
});

describe('CSRF and login', () => {
  let panel: TestPanel;
  before(async () => {
    ({ panel } = await panelWithAdmin());
  });
  after(() => panel.close());

  const cases: Array<{ name: string; origin: string | null; headers?: Record<string, string>; status: number; code?: string }> = [
    { name: 'a foreign Origin is refused', origin: 'https://evil.example', status: 403, code: 'csrf_failed' },
    { name: 'a foreign Referer without Origin is refused', origin: null, headers: { Referer: 'https://evil.example/login' }, status: 403, code: 'csrf_failed' },
    { name: 'the same scheme on another port is a foreign origin', origin: 'http://127.0.0.1:1', status: 403, code: 'csrf_failed' },
    { name: 'the panel\'s own Origin signs in', origin: '', status: 200 },
    { name: 'no Origin (a non-browser client, no session to ride) signs in', origin: null, status: 200 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const client = new TestClient(panel.url, { origin: c.origin === '' ? panel.url : c.origin });
      const res = await client.json('POST', '/api/v1/auth/login', { username: ADMIN.username, password: ADMIN.password }, c.headers ?? {});
      assert.equal(res.status, c.status, res.text);
      if (c.code) {
        assert.equal(res.body.error.code, c.code);
        assert.equal(res.headers['set-cookie'], undefined, 'no session is started');
      }
    });
  }
});
