// OAuth2 client credentials end to end: token endpoint (both auth methods), scopes, expiry, revocation, introspection, bearer access and its limits.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { createUser, setupAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { bearer, oauthPost, requestToken, type ClientCredentials } from '../helpers/oauth.ts';
import { restartablePanel, startPanel, type TestPanel } from '../helpers/panel.ts';

async function newClient(admin: TestClient, body: Record<string, unknown>): Promise<ClientCredentials & { id: string }> {
  const res = await admin.post('/api/v1/clients', body);
  assert.equal(res.status, 201, res.text);
  return { id: res.body.clientId, clientId: res.body.clientId, clientSecret: res.body.clientSecret };
}

async function tokenOf(base: string, creds: ClientCredentials, opts: Parameters<typeof requestToken>[2] = {}): Promise<string> {
  const res = await requestToken(base, creds, opts);
  assert.equal(res.status, 200, res.text);
  return res.body.access_token as string;
}

const events = (panel: TestPanel, type: string) => panel.services.audit.list({ type, limit: 100 });

describe('OAuth2 token endpoint and bearer access', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    panel = await startPanel({ rateLimits: { oauthFailuresPerClient: { points: 3, durationSeconds: 900, blockSeconds: 300 }, oauthFailuresPerIp: { points: 6, durationSeconds: 900, blockSeconds: 300 } } });
    admin = await setupAdmin(panel);
  });
  after(() => panel.close());

  test('a client gets a token with client_secret_basic and with client_secret_post, and uses it on the API', async () => {
    const creds = await newClient(admin, { name: 'reporting', scopes: ['users.view', 'audit.view'] });
    assert.match(creds.clientSecret, /^acs_[A-Za-z0-9_-]{43}$/);
    for (const method of ['basic', 'post'] as const) {
      const res = await requestToken(panel.url, creds, { method });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 3600);
      assert.equal(res.body.scope, 'users.view audit.view');
      assert.equal(res.headers['cache-control'], 'no-store');
      const users = await bearer(panel.url, res.body.access_token, 'GET', '/api/v1/users');
      assert.equal(users.status, 200, users.text);
    }
    const [issued] = await events(panel, 'oauth.token.issued');
    assert.equal(issued!.actor.type, 'client');
    assert.equal(issued!.actor.id, creds.clientId);
    // The client's first use from this address is reported once.
    const newIp = (await events(panel, 'oauth.token.new_ip')).filter((e) => e.actor.id === creds.clientId);
    assert.equal(newIp.length, 1);
    assert.equal(newIp[0]!.ip, '127.0.0.1');
  });

  test('a bearer token reaches only its scopes; CSRF does not apply to it', async () => {
    const creds = await newClient(admin, { name: 'settings-bot', scopes: ['settings.edit', 'settings.view'] });
    const token = await tokenOf(panel.url, creds);
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 403);
    const put = await bearer(panel.url, token, 'PUT', '/api/v1/settings/allowlist', { cidrs: [] });
    assert.equal(put.status, 200, put.text);
    const bogus = await bearer(panel.url, 'not-a-real-token', 'GET', '/api/v1/settings/allowlist');
    assert.equal(bogus.status, 401);
    assert.equal(bogus.body.error.code, 'invalid_token');
    assert.match(String(bogus.headers['www-authenticate']), /^Bearer error="invalid_token"/);
  });

  test('a scope the client was not given is invalid_scope, and audited', async () => {
    const creds = await newClient(admin, { name: 'narrow', scopes: ['users.view'] });
    for (const scope of ['users.edit', 'users.view admin', 'made.up', 'server.start:srv-1']) {
      const res = await requestToken(panel.url, creds, { scope });
      assert.equal(res.status, 400, `${scope}: ${res.text}`);
      assert.equal(res.body.error, 'invalid_scope');
    }
    assert.equal((await requestToken(panel.url, creds, { scope: 'users.view' })).status, 200);
    const denied = (await events(panel, 'oauth.token.denied')).filter((e) => e.actor.id === creds.clientId);
    assert.ok(denied.some((e) => e.details.reason === 'invalid_scope'));
  });

  test('a wrong secret is 401 invalid_client, audited, and blocked after repeated failures', async () => {
    const creds = await newClient(admin, { name: 'guessed', scopes: ['users.view'] });
    const wrong = { clientId: creds.clientId, clientSecret: 'acs_wrong' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await requestToken(panel.url, wrong, { method: i % 2 ? 'post' : 'basic', localAddress: `127.0.5.${i + 1}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    // Blocked: even the right secret waits.
    const blocked = await requestToken(panel.url, creds, { localAddress: '127.0.5.9' });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error, 'rate_limited');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    const denied = (await events(panel, 'oauth.token.denied')).filter((e) => e.actor.id === creds.clientId && e.details.reason === 'invalid_client');
    assert.equal(denied.length, 4, 'every wrong secret is audited, the one answered 429 too');
    await panel.services.limits.oauthFailuresPerClient.reset(creds.clientId);
    // One address that keeps failing is blocked for every client.
    const unknown = { clientId: 'ac_nobody', clientSecret: 'x' };
    const fromOne: number[] = [];
    for (let i = 0; i < 7; i += 1) fromOne.push((await requestToken(panel.url, { ...unknown, clientId: `ac_nobody${i}` }, { localAddress: '127.0.6.1' })).status);
    assert.deepEqual(fromOne, [401, 401, 401, 401, 401, 401, 429]);
    assert.equal((await requestToken(panel.url, creds, { localAddress: '127.0.6.1' })).status, 429);
    assert.equal((await requestToken(panel.url, creds, { localAddress: '127.0.6.2' })).status, 200);
  });

  test('introspection answers for the client\'s own tokens; revocation ends a token on the API at once', async () => {
    const creds = await newClient(admin, { name: 'introspector', scopes: ['users.view'] });
    const other = await newClient(admin, { name: 'bystander', scopes: ['users.view'] });
    const token = await tokenOf(panel.url, creds);
    const info = await oauthPost(panel.url, '/token/introspection', creds, { token });
    assert.equal(info.status, 200);
    assert.equal(info.body.active, true);
    assert.equal(info.body.client_id, creds.clientId);
    assert.equal(info.body.scope, 'users.view');
    assert.ok(info.body.exp > Date.now() / 1000);
    // Another client learns nothing about it, and cannot revoke it.
    assert.deepEqual((await oauthPost(panel.url, '/token/introspection', other, { token })).body, { active: false });
    await oauthPost(panel.url, '/token/revocation', other, { token });
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 200);

    const revoked = await oauthPost(panel.url, '/token/revocation', creds, { token });
    assert.equal(revoked.status, 200);
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 401);
    assert.deepEqual((await oauthPost(panel.url, '/token/introspection', creds, { token })).body, { active: false });
    // The library reports the revocation after answering; its audit event follows shortly.
    await eventually(
      async () => (await events(panel, 'oauth.token.revoked')).some((e) => e.details.reason === 'revocation_endpoint' && e.actor.id === creds.clientId),
      'the revocation audited',
    );
  });

  test('an expired token is refused by the API and inactive on introspection', async () => {
    const creds = await newClient(admin, { name: 'short', scopes: ['users.view'], tokenTtl: 60 });
    const res = await requestToken(panel.url, creds);
    assert.equal(res.body.expires_in, 60);
    const token = res.body.access_token as string;
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 200);
    // Sixty seconds on: the stored expiry is put in the past rather than waiting for it.
    const rows = (await panel.db('oauth_artifacts').where({ client_id: creds.clientId })) as Array<{ id_hash: string; payload: string }>;
    for (const row of rows) {
      const payload = { ...JSON.parse(row.payload), exp: Math.floor(Date.now() / 1000) - 1 };
      await panel.db('oauth_artifacts').where({ id_hash: row.id_hash }).update({ payload: JSON.stringify(payload), expires_at: Date.now() - 1000 });
    }
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second token cache
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 401);
    assert.deepEqual((await oauthPost(panel.url, '/token/introspection', creds, { token })).body, { active: false });
  });

  test('a new secret makes the old one fail and revokes every token; disabling and deleting revoke too', async () => {
    const creds = await newClient(admin, { name: 'rotating', scopes: ['users.view'] });
    const tokens = [await tokenOf(panel.url, creds), await tokenOf(panel.url, creds)];
    const regen = await admin.post(`/api/v1/clients/${creds.id}/secret`);
    assert.equal(regen.status, 200);
    assert.notEqual(regen.body.clientSecret, creds.clientSecret);
    assert.equal(regen.body.client.activeTokens, 0);
    for (const t of tokens) assert.equal((await bearer(panel.url, t, 'GET', '/api/v1/users')).status, 401);
    assert.equal((await requestToken(panel.url, creds)).status, 401);
    const fresh = { clientId: creds.clientId, clientSecret: regen.body.clientSecret as string };
    const [event] = await events(panel, 'oauth.client.secret_regenerated');
    assert.equal(event!.details.tokensRevoked, 2);

    const t1 = await tokenOf(panel.url, fresh);
    assert.equal((await admin.patch(`/api/v1/clients/${creds.id}`, { disabled: true })).body.client.disabled, true);
    assert.equal((await bearer(panel.url, t1, 'GET', '/api/v1/users')).status, 401);
    assert.equal((await requestToken(panel.url, fresh)).body.error, 'invalid_client');
    await admin.patch(`/api/v1/clients/${creds.id}`, { disabled: false });

    const t2 = await tokenOf(panel.url, fresh);
    assert.equal((await admin.del(`/api/v1/clients/${creds.id}`)).status, 204);
    assert.equal((await bearer(panel.url, t2, 'GET', '/api/v1/users')).status, 401);
    assert.equal((await requestToken(panel.url, fresh)).status, 401);
    assert.equal((await events(panel, 'oauth.client.deleted')).length, 1);
  });

  test('revoke-tokens ends every token but keeps the client', async () => {
    const creds = await newClient(admin, { name: 'revocable', scopes: ['users.view'] });
    const token = await tokenOf(panel.url, creds);
    const res = await admin.post(`/api/v1/clients/${creds.id}/revoke-tokens`);
    assert.deepEqual(res.body, { revoked: 1 });
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 401);
    assert.equal((await requestToken(panel.url, creds)).status, 200);
  });

  test('allowed addresses: tokens only from them, and the token only from them', async () => {
    const creds = await newClient(admin, { name: 'pinned', scopes: ['users.view'], allowedIps: ['127.0.7.0/24'] });
    const outside = await requestToken(panel.url, creds, { localAddress: '127.0.8.1' });
    assert.equal(outside.status, 400);
    assert.equal(outside.body.error, 'unauthorized_client');
    const token = await tokenOf(panel.url, creds, { localAddress: '127.0.7.5' });
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users', undefined, '127.0.7.6')).status, 200);
    const elsewhere = await bearer(panel.url, token, 'GET', '/api/v1/users', undefined, '127.0.8.1');
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.body.error.code, 'ip_not_allowed');
    const denied = (await events(panel, 'oauth.token.denied')).filter((e) => e.actor.id === creds.clientId);
    assert.deepEqual(denied.map((e) => e.details.reason).sort(), ['ip_not_allowed', 'ip_not_allowed']);
  });

  test('the owner losing a scope, or being disabled, takes it from the client on the next request', async () => {
    const reporter = await admin.post('/api/v1/roles', { name: 'reporter', description: '', scopes: ['audit.view', 'users.view', 'clients.view', 'clients.edit'] });
    assert.equal(reporter.status, 201, reporter.text);
    const owner = await createUser(panel, admin, ['reporter']);
    const res = await owner.client.post('/api/v1/clients', { name: 'owned', scopes: ['audit.view', 'users.view'] });
    assert.equal(res.status, 201, res.text);
    const creds = { clientId: res.body.clientId as string, clientSecret: res.body.clientSecret as string };
    const token = await tokenOf(panel.url, creds);
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/audit')).status, 200);

    // A role without audit.view: the client's audit.view goes with it.
    const custom = await admin.post('/api/v1/roles', { name: 'users-only', description: '', scopes: ['users.view', 'clients.view'] });
    assert.equal(custom.status, 201, custom.text);
    await admin.put(`/api/v1/users/${owner.id}/roles`, { roles: [{ roleId: custom.body.role.id, serverId: null }] });
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/audit')).status, 403, 'the owner lost audit.view');
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 200);

    await admin.patch(`/api/v1/users/${owner.id}`, { disabled: true });
    assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users')).status, 401);
    assert.equal((await requestToken(panel.url, creds)).status, 401);

    // An administrator sees the user's client and can remove it.
    const listed = (await admin.get('/api/v1/clients')).body.items as Array<{ id: string; ownerName: string }>;
    assert.equal(listed.find((c) => c.id === creds.clientId)?.ownerName, owner.username);
    assert.equal((await admin.del(`/api/v1/clients/${creds.clientId}`)).status, 204);
  });

  test('a client gets only scopes its owner holds; an owner sees only their clients, an administrator all', async () => {
    const operator = await createUser(panel, admin, ['operator']);
    const refused = await operator.client.post('/api/v1/clients', { name: 'grabby', scopes: ['users.edit'] });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden', 'operators do not hold clients.edit');

    const auditor = await createUser(panel, admin, ['auditor']);
    assert.equal((await auditor.client.post('/api/v1/clients', { name: 'x', scopes: ['users.view'] })).status, 403);

    const mine = await admin.post('/api/v1/clients', { name: 'mine', scopes: ['users.view'] });
    const badScope = await admin.post('/api/v1/clients', { name: 'bad', scopes: ['users.fly'] });
    assert.equal(badScope.body.error.code, 'unknown_scope');
    assert.equal((await admin.post('/api/v1/clients', { name: 'bad', scopes: ['users.view:srv-1'] })).body.error.code, 'unknown_scope');
    assert.equal((await admin.post('/api/v1/clients', { name: 'bad', scopes: ['users.view'], allowedIps: ['10.0.0.0/33'] })).body.error.code, 'invalid_cidr');
    assert.equal((await admin.post('/api/v1/clients', { name: 'bad', scopes: ['users.view'], tokenTtl: 10 })).body.error.code, 'token_ttl_out_of_range');
    assert.equal((await admin.post('/api/v1/clients', { name: 'bad', scopes: ['users.view'], tokenTtl: 999_999 })).body.error.code, 'token_ttl_out_of_range');
    assert.equal((await admin.post('/api/v1/clients', { name: 'srv', scopes: ['server.start:srv-1'] })).status, 201);

    const listed = (await admin.get('/api/v1/clients')).body.items as Array<{ id: string; name: string }>;
    assert.ok(listed.some((c) => c.id === mine.body.clientId));
    // The auditor can see own clients only (none), and another user's client is "not found" to them.
    assert.deepEqual((await auditor.client.get('/api/v1/clients')).body.items, []);
    assert.equal((await auditor.client.del(`/api/v1/clients/${mine.body.clientId}`)).status, 403);
  });

  test('a client holding admin is bound by the admin IP allowlist like its owner', async () => {
    const creds = await newClient(admin, { name: 'root-bot', scopes: ['admin'] });
    const token = await tokenOf(panel.url, creds, { localAddress: '127.0.9.1' });
    assert.equal((await admin.put('/api/v1/settings/allowlist', { cidrs: ['127.0.0.1/32'] })).status, 200);
    try {
      assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/users', undefined, '127.0.0.1')).status, 200);
      const outside = await bearer(panel.url, token, 'GET', '/api/v1/users', undefined, '127.0.9.1');
      assert.equal(outside.status, 403);
      assert.equal(outside.body.error.code, 'ip_not_allowed');
    } finally {
      await admin.put('/api/v1/settings/allowlist', { cidrs: [] });
    }
  });

  test('per-client API rate limit', async () => {
    const limited = await startPanel({ rateLimits: { apiPerClient: { points: 3, durationSeconds: 60, blockSeconds: 0 } } });
    try {
      const a = await setupAdmin(limited);
      const creds = await newClient(a, { name: 'chatty', scopes: ['users.view'] });
      const token = await tokenOf(limited.url, creds);
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await bearer(limited.url, token, 'GET', '/api/v1/users')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      // The signed-in owner is not limited by their client's traffic.
      assert.equal((await a.get('/api/v1/users')).status, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('OAuth2 state at rest and across a restart', () => {
  test('tokens survive a restart; neither the client secret nor a token is in the database file; keys are 0600', async () => {
    const data = restartablePanel();
    const { config } = data;
    try {
      const first = await data.start();
      const admin = await setupAdmin(first);
      const creds = await newClient(admin, { name: 'durable', scopes: ['users.view'] });
      const token = await tokenOf(first.url, creds);
      await first.close();

      const second = await data.start();
      try {
        assert.equal((await bearer(second.url, token, 'GET', '/api/v1/users')).status, 200);
        assert.equal((await requestToken(second.url, creds)).status, 200);
      } finally {
        await second.close();
      }
      const dbFile = config.paths.database!;
      const bytes = Buffer.concat([readFileSync(dbFile), ...[`${dbFile}-wal`].map((p) => readFileSync(p, { flag: 'a+' }))]).toString('latin1');
      assert.equal(bytes.includes(creds.clientSecret), false, 'client secret in the database file');
      assert.equal(bytes.includes(creds.clientSecret.slice(4)), false, 'client secret in the database file');
      assert.equal(bytes.includes(token), false, 'access token in the database file');
      for (const file of ['oauth-signing.jwk.json', 'oauth-cookies.key']) {
        assert.equal(statSync(join(config.paths.dataDir, 'keys', file)).mode & 0o777, 0o600, file);
      }
    } finally {
      data.remove();
    }
  });
});

describe('hostile input to the OAuth2 endpoints', () => {
  let panel: TestPanel;
  let creds: ClientCredentials;
  before(async () => {
    panel = await startPanel();
    creds = await newClient(await setupAdmin(panel), { name: 'target', scopes: ['users.view'] });
  });
  after(() => panel.close());

  test('every malformed request is a 4xx in the OAuth error format, never a 5xx', async () => {
    const basic = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`;
    const form = { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' };
    const cases: Array<{ name: string; headers: Record<string, string>; body?: string; status: number; error: string }> = [
      { name: 'no body', headers: { Authorization: basic }, status: 400, error: 'invalid_request' },
      { name: 'JSON body', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: '{"grant_type":"client_credentials"}', status: 400, error: 'invalid_request' },
      { name: 'garbage form', headers: form, body: '%%%&&&==', status: 400, error: 'invalid_request' },
      { name: '200 kB body', headers: form, body: `grant_type=client_credentials&x=${'a'.repeat(200_000)}`, status: 400, error: 'invalid_request' },
      { name: 'another grant type', headers: form, body: 'grant_type=authorization_code&code=x', status: 400, error: 'invalid_request' },
      { name: 'password grant', headers: form, body: 'grant_type=password&username=a&password=b', status: 400, error: 'unsupported_grant_type' },
      { name: 'grant_type twice', headers: form, body: 'grant_type=client_credentials&grant_type=client_credentials', status: 400, error: 'invalid_request' },
      { name: 'broken Basic header', headers: { ...form, Authorization: 'Basic !!!' }, body: 'grant_type=client_credentials', status: 400, error: 'invalid_request' },
      { name: 'Bearer instead of Basic', headers: { ...form, Authorization: 'Bearer x' }, body: 'grant_type=client_credentials', status: 400, error: 'invalid_request' },
      { name: 'two auth methods at once', headers: form, body: `grant_type=client_credentials&client_id=${creds.clientId}&client_secret=${creds.clientSecret}`, status: 400, error: 'invalid_request' },
      { name: '10 kB scope', headers: form, body: `grant_type=client_credentials&scope=${'x '.repeat(5000)}`, status: 400, error: 'invalid_scope' },
      { name: 'SQL as the client id', headers: { ...form, Authorization: `Basic ${Buffer.from("' OR 1=1 --:x").toString('base64')}` }, body: 'grant_type=client_credentials', status: 401, error: 'invalid_client' },
    ];
    for (const c of cases) {
      const res = await fetch(`${panel.url}/oauth2/token`, { method: 'POST', headers: c.headers, ...(c.body !== undefined ? { body: c.body } : {}) });
      const body = (await res.json()) as { error?: string };
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(body)}`);
      assert.equal(body.error, c.error, c.name);
    }
  });

  test('only the token, introspection and revocation endpoints exist; GET on them is 405', async () => {
    for (const path of ['/oauth2/auth', '/oauth2/.well-known/openid-configuration', '/oauth2/jwks', '/oauth2/reg', '/oauth2/me', '/oauth2']) {
      const res = await fetch(`${panel.url}${path}`);
      assert.equal(res.status, 404, path);
    }
    const get = await fetch(`${panel.url}/oauth2/token`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal(get.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  });
});
