// Session cookie: name and flags over plain HTTP and behind a trusted TLS proxy, forwarding headers from strangers ignored, no session fixation.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TestClient, type Res } from '../helpers/client.ts';
import { ADMIN, panelWithAdmin, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

type Cookie = { name: string; value: string; attrs: Map<string, string | true> };

/** Every Set-Cookie of a response, parsed; attribute names lower-cased. */
function setCookies(res: Res): Cookie[] {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((line) => {
    const [pair, ...rest] = line.split(';');
    const eq = pair!.indexOf('=');
    const attrs = new Map<string, string | true>();
    for (const part of rest) {
      const [k, ...v] = part.trim().split('=');
      attrs.set(k!.toLowerCase(), v.length ? v.join('=') : true);
    }
    return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attrs };
  });
}

/** The one live (non-empty) cookie with this name set by the response. */
function liveCookie(res: Res, name: string): Cookie {
  const found = setCookies(res).filter((c) => c.name === name && c.value !== '');
  assert.equal(found.length, 1, `expected one ${name} cookie, got: ${JSON.stringify(res.headers['set-cookie'])}`);
  return found[0]!;
}

/** A fresh client carrying only the given session cookie. */
function replay(base: string, name: string, value: string, opts: ConstructorParameters<typeof TestClient>[1] = {}): TestClient {
  const c = new TestClient(base, opts);
  c.jar.set(name, value);
  return c;
}

async function loginEvents(panel: TestPanel, type: string) {
  return panel.services.audit.list({ type, limit: 50 });
}

describe('session cookie over plain HTTP', () => {
  let panel: TestPanel;
  let res: Res;
  before(async () => {
    ({ panel } = await panelWithAdmin());
    res = await new TestClient(panel.url).login(ADMIN.username, ADMIN.password);
    assert.equal(res.status, 200);
  });
  after(() => panel.close());

  test('is named aether_session', () => {
    const cookie = liveCookie(res, 'aether_session');
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit base64url id');
    assert.equal(setCookies(res).some((c) => c.name === '__Host-aether_session'), false);
  });

  const flags: Array<{ name: string; attr: string; expected: string | true | undefined }> = [
    { name: 'HttpOnly', attr: 'httponly', expected: true },
    { name: 'SameSite=Strict', attr: 'samesite', expected: 'strict' },
    { name: 'Path=/', attr: 'path', expected: '/' },
    { name: 'no Secure on plain HTTP', attr: 'secure', expected: undefined },
    { name: 'no Domain', attr: 'domain', expected: undefined },
  ];
  for (const f of flags) {
    test(f.name, () => {
      const value = liveCookie(res, 'aether_session').attrs.get(f.attr);
      assert.equal(typeof value === 'string' ? value.toLowerCase() : value, f.expected);
    });
  }

  test('no HSTS on plain HTTP', () => {
    assert.equal(res.headers['strict-transport-security'], undefined);
  });
});

describe('session cookie behind a trusted TLS proxy', () => {
  let panel: TestPanel;
  let origin: string;
  let res: Res;
  const proxied = (extra: Record<string, string> = {}) => ({ 'X-Forwarded-Proto': 'https', Origin: origin, ...extra });
  before(async () => {
    panel = await startPanel({ http: { host: '127.0.0.1', port: 0, trustedProxies: ['127.0.0.1/32'] } });
    await setupAdmin(panel);
    origin = panel.url.replace(/^http:/, 'https:');
    res = await new TestClient(panel.url).json('POST', '/api/v1/auth/login', { username: ADMIN.username, password: ADMIN.password }, proxied({ 'X-Forwarded-For': '203.0.113.7' }));
    assert.equal(res.status, 200, res.text);
  });
  after(() => panel.close());

  test('is named __Host-aether_session and no plain cookie is set', () => {
    liveCookie(res, '__Host-aether_session');
    assert.equal(setCookies(res).some((c) => c.name === 'aether_session' && c.value !== ''), false);
  });

  const flags: Array<{ name: string; attr: string; expected: string | true | undefined }> = [
    { name: 'Secure', attr: 'secure', expected: true },
    { name: 'HttpOnly', attr: 'httponly', expected: true },
    { name: 'SameSite=Strict', attr: 'samesite', expected: 'strict' },
    { name: 'Path=/', attr: 'path', expected: '/' },
    { name: 'no Domain (a __Host- cookie must not have one)', attr: 'domain', expected: undefined },
  ];
  for (const f of flags) {
    test(f.name, () => {
      const value = liveCookie(res, '__Host-aether_session').attrs.get(f.attr);
      assert.equal(typeof value === 'string' ? value.toLowerCase() : value, f.expected);
    });
  }

  test('HSTS is sent', () => {
    assert.match(String(res.headers['strict-transport-security']), /max-age=\d{7,}/);
  });

  test('the client address is taken from X-Forwarded-For', async () => {
    const [event] = await loginEvents(panel, 'auth.login.success');
    assert.equal(event?.ip, '203.0.113.7');
  });

  test('the __Host- cookie authenticates HTTPS requests only', async () => {
    const value = liveCookie(res, '__Host-aether_session').value;
    const client = replay(panel.url, '__Host-aether_session', value);
    assert.equal((await client.json('GET', '/api/v1/users/me', undefined, proxied())).status, 200);
    assert.equal((await client.get('/api/v1/users/me')).status, 401, 'the same cookie over plain HTTP is not read');
  });

  test('logout over HTTPS expires the __Host- cookie and ends the session', async () => {
    const client = new TestClient(panel.url);
    const login = await client.json('POST', '/api/v1/auth/login', { username: ADMIN.username, password: ADMIN.password }, proxied());
    const value = liveCookie(login, '__Host-aether_session').value;
    client.csrf = login.body.csrfToken;
    const out = await client.json('POST', '/api/v1/auth/logout', undefined, proxied());
    assert.equal(out.status, 204);
    const cleared = setCookies(out).find((c) => c.name === '__Host-aether_session');
    assert.equal(cleared?.value, '');
    assert.match(String(cleared?.attrs.get('expires')), /1970/);
    assert.equal((await replay(panel.url, '__Host-aether_session', value).json('GET', '/api/v1/users/me', undefined, proxied())).status, 401);
  });
});

describe('forwarding headers from an untrusted source', () => {
  let panel: TestPanel;
  let res: Res;
  before(async () => {
    ({ panel } = await panelWithAdmin());
    res = await new TestClient(panel.url).json(
      'POST',
      '/api/v1/auth/login',
      { username: ADMIN.username, password: ADMIN.password },
      { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' },
    );
    assert.equal(res.status, 200, res.text);
  });
  after(() => panel.close());

  test('X-Forwarded-Proto does not make the cookie Secure or __Host-', () => {
    const cookie = liveCookie(res, 'aether_session');
    assert.equal(cookie.attrs.has('secure'), false);
    assert.equal(setCookies(res).some((c) => c.name === '__Host-aether_session'), false);
  });

  test('X-Forwarded-Proto does not turn on HSTS', () => {
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  test('X-Forwarded-For is not used as the client address', async () => {
    const [event] = await loginEvents(panel, 'auth.login.success');
    assert.equal(event?.ip, '127.0.0.1');
    assert.equal(res.body.user.lastLoginIp, '127.0.0.1');
  });
});

describe('session fixation', () => {
  let panel: TestPanel;
  before(async () => {
    ({ panel } = await panelWithAdmin());
  });
  after(() => panel.close());

  test('a cookie planted before login is replaced at login and never authenticates', async () => {
    const planted = randomBytes(32).toString('base64url');
    const client = new TestClient(panel.url);
    client.jar.set('aether_session', planted);
    const res = await client.login(ADMIN.username, ADMIN.password);
    assert.equal(res.status, 200);
    const issued = liveCookie(res, 'aether_session').value;
    assert.notEqual(issued, planted);
    assert.equal(client.jar.get('aether_session'), issued);
    assert.equal((await replay(panel.url, 'aether_session', planted).get('/api/v1/users/me')).status, 401);
    assert.equal((await client.get('/api/v1/users/me')).status, 200);
  });

  test('logging in again while signed in issues a new id and ends the old one', async () => {
    const client = new TestClient(panel.url);
    assert.equal((await client.login(ADMIN.username, ADMIN.password)).status, 200);
    const first = client.jar.get('aether_session')!;
    const firstCsrf = client.csrf;

    const again = await client.login(ADMIN.username, ADMIN.password);
    assert.equal(again.status, 200);
    const second = liveCookie(again, 'aether_session').value;
    assert.notEqual(second, first);
    assert.notEqual(client.csrf, firstCsrf);

    assert.equal((await replay(panel.url, 'aether_session', first).get('/api/v1/users/me')).status, 401, 'the old id is dead');
    assert.equal((await client.get('/api/v1/users/me')).status, 200, 'the new id works');
  });
});
