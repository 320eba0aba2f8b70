// Hostile and malformed input to the API: always a clear 4xx JSON error (never a 5xx or a stack trace), nothing changed, no prototype pollution.
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { TestClient, type Res } from '../helpers/client.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

const SQL = "' OR 1=1 --";
const LONG = 'a'.repeat(10_000);
const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);
const JSON_TYPE = { 'Content-Type': 'application/json' };
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

type Case = {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** ":target" is replaced by the id of an existing non-admin user. */
  path: string;
  /** A string or Buffer is sent as is (with Content-Type application/json unless headers say otherwise); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent without the admin's session (login). */
  anonymous?: boolean;
  status: number;
  /** The error code; omitted where more than one is acceptable. */
  code?: string;
};

const raw = (text: string | Buffer, headers: Record<string, string> = JSON_TYPE) => ({ body: text, headers });

const login = (c: Omit<Case, 'method' | 'path' | 'anonymous'>): Case => ({ ...c, method: 'POST', path: '/api/v1/auth/login', anonymous: true });
const creds = { username: 'root-admin', password: 'Some-Password-1' };
const newUser = { username: 'hostile-new', email: 'hostile-new@example.test', password: 'Valid-Password-Long-9' };

const cases: Case[] = [
  // POST /auth/login
  login({ name: 'login: malformed JSON', ...raw('{"username": "root-admin",'), status: 400, code: 'invalid_json' }),
  login({ name: 'login: 5 MB body', ...raw(FIVE_MB), status: 413, code: 'body_too_large' }),
  login({ name: 'login: wrong types', body: { username: 123, password: true }, status: 400, code: 'validation_failed' }),
  login({ name: 'login: unknown field', body: { ...creds, remember: true }, status: 400, code: 'validation_failed' }),
  login({ name: 'login: __proto__ key', ...raw('{"username":"a","password":"b","__proto__":{"polluted":"yes"}}'), status: 400, code: 'validation_failed' }),
  login({ name: 'login: constructor key', ...raw('{"username":"a","password":"b","constructor":{"prototype":{"polluted":"yes"}}}'), status: 400, code: 'validation_failed' }),
  login({ name: 'login: SQL in username', body: { username: SQL, password: 'x' }, status: 401, code: 'invalid_credentials' }),
  login({ name: 'login: SQL comment after a real username', body: { username: "root-admin'--", password: 'x' }, status: 401, code: 'invalid_credentials' }),
  login({ name: 'login: 10k-character username', body: { username: LONG, password: 'x' }, status: 400, code: 'validation_failed' }),
  login({ name: 'login: 10k-character password', body: { username: 'root-admin', password: LONG }, status: 400, code: 'validation_failed' }),
  login({ name: 'login: arrays for strings', body: { username: ['root-admin'], password: ['x'] }, status: 400, code: 'validation_failed' }),
  login({ name: 'login: NUL byte in username', body: { username: 'root-admin\u0000', password: 'x' }, status: 401, code: 'invalid_credentials' }),
  login({ name: 'login: invalid UTF-8 in a string', ...raw(Buffer.concat([Buffer.from('{"username":"ro'), Buffer.from([0xff, 0xfe]), Buffer.from('ot","password":"x"}')])), status: 401, code: 'invalid_credentials' }),
  login({ name: 'login: top-level array', ...raw('[]'), status: 400, code: 'validation_failed' }),
  login({ name: 'login: JSON null', ...raw('null'), status: 400, code: 'validation_failed' }),
  login({ name: 'login: JSON string', ...raw('"root-admin"'), status: 400, code: 'validation_failed' }),
  login({ name: 'login: no body', status: 400, code: 'validation_failed' }),
  login({ name: 'login: deeply nested JSON', ...raw(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), status: 400 }),
  login({ name: 'login: text/plain', ...raw(JSON.stringify(creds), { 'Content-Type': 'text/plain' }), status: 415, code: 'unsupported_media_type' }),
  login({ name: 'login: form-encoded', ...raw('username=root-admin&password=x', { 'Content-Type': 'application/x-www-form-urlencoded' }), status: 415, code: 'unsupported_media_type' }),
  login({ name: 'login: no Content-Type', ...raw(JSON.stringify(creds), {}), status: 415, code: 'unsupported_media_type' }),

  // POST /users
  { name: 'create user: malformed JSON', method: 'POST', path: '/api/v1/users', ...raw('{"username":'), status: 400, code: 'invalid_json' },
  { name: 'create user: 5 MB body', method: 'POST', path: '/api/v1/users', ...raw(FIVE_MB), status: 413, code: 'body_too_large' },
  { name: 'create user: wrong types', method: 'POST', path: '/api/v1/users', body: { username: 1, email: 2, password: 3 }, status: 400, code: 'validation_failed' },
  { name: 'create user: unknown field', method: 'POST', path: '/api/v1/users', body: { ...newUser, admin: true }, status: 400, code: 'validation_failed' },
  { name: 'create user: __proto__ key', method: 'POST', path: '/api/v1/users', ...raw(JSON.stringify(newUser).replace('{', '{"__proto__":{"polluted":"yes"},')), status: 400, code: 'validation_failed' },
  { name: 'create user: constructor key', method: 'POST', path: '/api/v1/users', ...raw(JSON.stringify(newUser).replace('{', '{"constructor":{"prototype":{"polluted":"yes"}},')), status: 400, code: 'validation_failed' },
  { name: 'create user: __proto__ inside a role', method: 'POST', path: '/api/v1/users', ...raw(JSON.stringify({ ...newUser, roles: [{ roleId: 'x' }] }).replace('{"roleId"', '{"__proto__":{"polluted":"yes"},"roleId"')), status: 400, code: 'validation_failed' },
  { name: 'create user: SQL in username', method: 'POST', path: '/api/v1/users', body: { ...newUser, username: SQL }, status: 400, code: 'validation_failed' },
  { name: 'create user: SQL as a role id', method: 'POST', path: '/api/v1/users', body: { ...newUser, roles: [{ roleId: SQL }] }, status: 400, code: 'unknown_role' },
  { name: 'create user: 10k-character username', method: 'POST', path: '/api/v1/users', body: { ...newUser, username: LONG }, status: 400, code: 'validation_failed' },
  { name: 'create user: 10k-character password', method: 'POST', path: '/api/v1/users', body: { ...newUser, password: `Aa1!${LONG}` }, status: 400, code: 'validation_failed' },
  { name: 'create user: roles as a string', method: 'POST', path: '/api/v1/users', body: { ...newUser, roles: 'admin' }, status: 400, code: 'validation_failed' },
  { name: 'create user: array for a role id', method: 'POST', path: '/api/v1/users', body: { ...newUser, roles: [{ roleId: ['x'] }] }, status: 400, code: 'validation_failed' },
  { name: 'create user: NUL byte in username', method: 'POST', path: '/api/v1/users', body: { ...newUser, username: 'evil\u0000name' }, status: 400, code: 'validation_failed' },
  { name: 'create user: NUL byte in e-mail', method: 'POST', path: '/api/v1/users', body: { ...newUser, email: 'evil\u0000@example.test' }, status: 400, code: 'validation_failed' },
  { name: 'create user: text/plain', method: 'POST', path: '/api/v1/users', ...raw(JSON.stringify(newUser), { 'Content-Type': 'text/plain' }), status: 415, code: 'unsupported_media_type' },

  // PATCH /users/:id
  { name: 'patch user: malformed JSON', method: 'PATCH', path: '/api/v1/users/:target', ...raw('{disabled: true}'), status: 400, code: 'invalid_json' },
  { name: 'patch user: wrong type', method: 'PATCH', path: '/api/v1/users/:target', body: { disabled: 'yes' }, status: 400, code: 'validation_failed' },
  { name: 'patch user: array for e-mail', method: 'PATCH', path: '/api/v1/users/:target', body: { email: ['a@example.test'] }, status: 400, code: 'validation_failed' },
  { name: 'patch user: unknown field', method: 'PATCH', path: '/api/v1/users/:target', body: { username: 'renamed' }, status: 400, code: 'validation_failed' },
  { name: 'patch user: __proto__ key', method: 'PATCH', path: '/api/v1/users/:target', ...raw('{"__proto__":{"disabled":true}}'), status: 400, code: 'validation_failed' },
  { name: 'patch user: 10k-character e-mail', method: 'PATCH', path: '/api/v1/users/:target', body: { email: `${LONG}@example.test` }, status: 400, code: 'validation_failed' },
  { name: 'patch user: SQL as the id', method: 'PATCH', path: `/api/v1/users/${encodeURIComponent(SQL)}`, body: { disabled: true }, status: 400, code: 'validation_failed' },
  { name: 'patch user: NUL byte as the id', method: 'PATCH', path: '/api/v1/users/%00', body: { disabled: true }, status: 400, code: 'validation_failed' },
  { name: 'patch user: 10k-character id', method: 'PATCH', path: `/api/v1/users/${LONG}`, body: { disabled: true }, status: 400, code: 'validation_failed' },
  { name: 'patch user: unknown id', method: 'PATCH', path: '/api/v1/users/00000000-0000-0000-0000-000000000000', body: { disabled: true }, status: 404, code: 'not_found' },
  { name: 'patch user: 5 MB body', method: 'PATCH', path: '/api/v1/users/:target', ...raw(FIVE_MB), status: 413, code: 'body_too_large' },

  // PUT /settings/allowlist
  { name: 'allowlist: string for the list', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: '127.0.0.1' }, status: 400, code: 'validation_failed' },
  { name: 'allowlist: nested arrays', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: [['127.0.0.1']] }, status: 400, code: 'validation_failed' },
  { name: 'allowlist: numbers', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: [2130706433] }, status: 400, code: 'validation_failed' },
  { name: 'allowlist: SQL as a CIDR', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: [SQL] }, status: 400, code: 'invalid_cidr' },
  { name: 'allowlist: 10k-character entry', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: [LONG] }, status: 400, code: 'validation_failed' },
  { name: 'allowlist: too many entries', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: Array.from({ length: 1025 }, () => '127.0.0.1') }, status: 400, code: 'validation_failed' },
  { name: 'allowlist: unknown field', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: [], force: true }, status: 400, code: 'validation_failed' },
  { name: 'allowlist: __proto__ key', method: 'PUT', path: '/api/v1/settings/allowlist', ...raw('{"cidrs":[],"__proto__":{"polluted":"yes"}}'), status: 400, code: 'validation_failed' },
  { name: 'allowlist: text/plain', method: 'PUT', path: '/api/v1/settings/allowlist', ...raw('{"cidrs":[]}', { 'Content-Type': 'text/plain' }), status: 415, code: 'unsupported_media_type' },
  { name: 'allowlist: 5 MB body', method: 'PUT', path: '/api/v1/settings/allowlist', ...raw(FIVE_MB), status: 413, code: 'body_too_large' },

  // 2FA of my account, the admin reset and the policy
  { name: '2fa confirm: nothing started', method: 'POST', path: '/api/v1/account/2fa/confirm', body: { code: '123456' }, status: 409, code: 'no_setup_in_progress' },
  { name: '2fa confirm: number for the code', method: 'POST', path: '/api/v1/account/2fa/confirm', body: { code: 123456 }, status: 400, code: 'validation_failed' },
  { name: '2fa confirm: 10k-character code', method: 'POST', path: '/api/v1/account/2fa/confirm', body: { code: LONG }, status: 400, code: 'validation_failed' },
  { name: '2fa confirm: __proto__ key', method: 'POST', path: '/api/v1/account/2fa/confirm', ...raw('{"code":"123456","__proto__":{"polluted":"yes"}}'), status: 400, code: 'validation_failed' },
  { name: '2fa off: both a code and a recovery code', method: 'DELETE', path: '/api/v1/account/2fa', body: { password: 'x', code: '123456', recoveryCode: 'AAAA' }, status: 400, code: 'validation_failed' },
  { name: '2fa off: 10k-character password', method: 'DELETE', path: '/api/v1/account/2fa', body: { password: LONG, code: '123456' }, status: 400, code: 'validation_failed' },
  { name: '2fa off: malformed JSON', method: 'DELETE', path: '/api/v1/account/2fa', ...raw('{"password":'), status: 400, code: 'invalid_json' },
  { name: '2fa recovery codes: SQL for the code', method: 'POST', path: '/api/v1/account/2fa/recovery-codes', body: { password: 'Some-Password-1', code: SQL }, status: 400, code: 'invalid_password' },
  { name: '2fa reset: SQL as the id', method: 'DELETE', path: `/api/v1/users/${encodeURIComponent(SQL)}/2fa`, status: 400, code: 'validation_failed' },
  { name: '2fa policy: unknown level', method: 'PUT', path: '/api/v1/settings/two-factor', body: { require2fa: 'some' }, status: 400, code: 'validation_failed' },
  { name: '2fa policy: array for the level', method: 'PUT', path: '/api/v1/settings/two-factor', body: { require2fa: ['all'] }, status: 400, code: 'validation_failed' },
  { name: '2fa second step: SQL as the code', method: 'POST', path: '/api/v1/auth/2fa', body: { code: SQL }, anonymous: true, status: 401, code: 'no_pending_login' },
  { name: '2fa second step: __proto__ key', method: 'POST', path: '/api/v1/auth/2fa', ...raw('{"code":"1","__proto__":{"x":1}}'), anonymous: true, status: 400, code: 'validation_failed' },

  // The monitor
  { name: 'ban: SQL as the address', method: 'POST', path: '/api/v1/monitor/bans', body: { ip: SQL, reason: 'x' }, status: 400, code: 'invalid_ip' },
  { name: 'ban: number for the address', method: 'POST', path: '/api/v1/monitor/bans', body: { ip: 1234, reason: 'x' }, status: 400, code: 'validation_failed' },
  { name: 'ban: 10k-character reason', method: 'POST', path: '/api/v1/monitor/bans', body: { ip: '203.0.113.9', reason: LONG }, status: 400, code: 'validation_failed' },
  { name: 'ban: negative duration', method: 'POST', path: '/api/v1/monitor/bans', body: { ip: '203.0.113.9', reason: 'x', durationMinutes: -5 }, status: 400, code: 'validation_failed' },
  { name: 'ban: __proto__ key', method: 'POST', path: '/api/v1/monitor/bans', ...raw('{"ip":"203.0.113.9","reason":"x","__proto__":{"polluted":"yes"}}'), status: 400, code: 'validation_failed' },
  { name: 'lift: not a number', method: 'DELETE', path: '/api/v1/monitor/bans/abc', status: 400, code: 'validation_failed' },
  { name: 'lift: unknown ban', method: 'DELETE', path: '/api/v1/monitor/bans/424242', status: 404, code: 'not_found' },
  { name: 'detections: limit not a number', method: 'GET', path: '/api/v1/monitor/detections?limit=abc', status: 400, code: 'validation_failed' },
  { name: 'detections: negative before', method: 'GET', path: '/api/v1/monitor/detections?before=-1', status: 400, code: 'validation_failed' },
  { name: 'known addresses: SQL as the id', method: 'GET', path: `/api/v1/monitor/known-ips/${encodeURIComponent(SQL)}`, status: 400, code: 'validation_failed' },

  // GET /audit
  { name: 'audit: repeated limit', method: 'GET', path: '/api/v1/audit?limit=1&limit=2', status: 400, code: 'validation_failed' },
  { name: 'audit: repeated type', method: 'GET', path: '/api/v1/audit?type=auth.*&type=user.*', status: 400, code: 'validation_failed' },
  { name: 'audit: limit not a number', method: 'GET', path: '/api/v1/audit?limit=abc', status: 400, code: 'validation_failed' },
  { name: 'audit: limit 0', method: 'GET', path: '/api/v1/audit?limit=0', status: 400, code: 'validation_failed' },
  { name: 'audit: negative limit', method: 'GET', path: '/api/v1/audit?limit=-5', status: 400, code: 'validation_failed' },
  { name: 'audit: huge limit', method: 'GET', path: '/api/v1/audit?limit=1e9', status: 400, code: 'validation_failed' },
  { name: 'audit: fractional limit', method: 'GET', path: '/api/v1/audit?limit=2.5', status: 400, code: 'validation_failed' },
  { name: 'audit: garbage cursor', method: 'GET', path: '/api/v1/audit?cursor=!!!not-a-cursor', status: 400, code: 'invalid_cursor' },
  { name: 'audit: cursor of the wrong type', method: 'GET', path: `/api/v1/audit?cursor=${cursorOf({ v: 'x' })}`, status: 400, code: 'invalid_cursor' },
  { name: 'audit: cursor that is not JSON', method: 'GET', path: `/api/v1/audit?cursor=${Buffer.from('not json').toString('base64url')}`, status: 400, code: 'invalid_cursor' },
  { name: 'audit: cursor holding SQL', method: 'GET', path: `/api/v1/audit?cursor=${cursorOf({ v: SQL })}`, status: 400, code: 'invalid_cursor' },
  { name: 'audit: overlong cursor', method: 'GET', path: `/api/v1/audit?cursor=${'A'.repeat(300)}`, status: 400, code: 'validation_failed' },
  { name: 'audit: broken percent-encoding', method: 'GET', path: '/api/v1/audit?cursor=%E0%A4%A', status: 400, code: 'invalid_cursor' },
  { name: 'audit: 10k-character type', method: 'GET', path: `/api/v1/audit?type=${LONG}`, status: 400, code: 'validation_failed' },
  { name: 'audit: not a time', method: 'GET', path: '/api/v1/audit?from=yesterday', status: 400, code: 'validation_failed' },
  { name: 'audit: unknown parameter', method: 'GET', path: '/api/v1/audit?order=asc', status: 400, code: 'validation_failed' },
  { name: 'audit: __proto__ parameter', method: 'GET', path: '/api/v1/audit?__proto__=x', status: 400, code: 'validation_failed' },
  { name: 'users: garbage cursor', method: 'GET', path: '/api/v1/users?cursor=%00%00', status: 400, code: 'invalid_cursor' },
  { name: 'users: repeated limit', method: 'GET', path: '/api/v1/users?limit=1&limit=2', status: 400, code: 'validation_failed' },

  // Routing
  { name: 'unknown API path', method: 'GET', path: '/api/v1/no-such-thing', status: 404, code: 'not_found' },
  { name: 'unknown API path under a known one', method: 'GET', path: '/api/v1/users/me/nothing', status: 404, code: 'not_found' },
  { name: 'unknown API version', method: 'GET', path: '/api/v2/users', status: 404, code: 'not_found' },
  { name: 'wrong method on a collection', method: 'DELETE', path: '/api/v1/audit', status: 405, code: 'method_not_allowed' },
  { name: 'wrong method on login', method: 'PUT', path: '/api/v1/auth/login', body: creds, status: 405, code: 'method_not_allowed' },
  { name: 'wrong method on an item', method: 'POST', path: '/api/v1/users/:target', body: {}, status: 405, code: 'method_not_allowed' },
  // "me" is a resource of its own, never taken for a user id by the /users/:id routes.
  { name: 'wrong method on my account', method: 'DELETE', path: '/api/v1/users/me', status: 405, code: 'method_not_allowed' },
  { name: 'wrong method on my account, other case', method: 'PATCH', path: '/api/v1/USERS/ME', body: {}, status: 405, code: 'method_not_allowed' },
];

/** Sends a request on the given agent; a numeric body is sent chunked (no Content-Length), as a streaming client would. */
function send(agent: Agent, base: string, method: string, path: string, headers: Record<string, string>, chunkedSize?: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const all = chunkedSize === undefined ? headers : { ...headers, 'Transfer-Encoding': 'chunked' };
    const req = httpRequest({ agent, method, hostname: url.hostname, port: url.port, path: url.pathname, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text), text });
      });
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let sent = 0; chunkedSize !== undefined && sent < chunkedSize; sent += chunk.length) req.write(chunk);
    req.end();
  });
}

function assertClientError(res: Res, expected: { status: number; code?: string | undefined }): void {
  assert.equal(res.status, expected.status, res.text.slice(0, 500));
  assert.ok(res.status >= 400 && res.status < 500, `a 4xx, got ${res.status}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const error = res.body?.error;
  assert.ok(error, `an error body: ${res.text.slice(0, 200)}`);
  assert.equal(typeof error.code, 'string');
  assert.ok(error.code.length > 0);
  if (expected.code) assert.equal(error.code, expected.code);
  if (expected.status === 405) assert.match(String(res.headers.allow), /^[A-Z]+(, [A-Z]+)*$/, '405 names the allowed methods');
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.equal(error.requestId, res.headers['x-request-id']);
  assert.doesNotMatch(res.text, /at .*\.ts:/, 'no stack trace');
  assert.doesNotMatch(res.text, /SQLITE|knex|select .* from/i, 'no database detail');
}

describe('hostile input to the API', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let targetId: string;
  let usersBefore: number;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    targetId = (await createUser(panel, admin, ['auditor'])).id;
    usersBefore = (await admin.get('/api/v1/users')).body.items.length;
  });
  after(() => panel.close());

  for (const c of cases) {
    test(c.name, async () => {
      const client = c.anonymous ? new TestClient(panel.url) : admin;
      const path = c.path.replace(':target', targetId);
      const res =
        typeof c.body === 'string' || Buffer.isBuffer(c.body)
          ? await client.raw(c.method, path, { body: c.body, headers: { ...(client.csrf ? { 'X-CSRF-Token': client.csrf } : {}), ...c.headers } })
          : await client.json(c.method, path, c.body, c.headers);
      assertClientError(res, c);
    });
  }

  test('a chunked body over the limit is 413, and the kept-alive connection goes on working', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const res = await send(agent, panel.url, 'POST', '/api/v1/auth/login', { ...JSON_TYPE, Origin: panel.url }, 5 * 1024 * 1024);
      assertClientError(res, { status: 413, code: 'body_too_large' });
      const next = await send(agent, panel.url, 'GET', '/healthz', {});
      assert.equal(next.status, 200);
      assert.deepEqual(next.body, { status: 'ok' });
    } finally {
      agent.destroy();
    }
  });

  const sqlAsData: Array<{ name: string; query: string }> = [
    { name: 'actor', query: `actor=${encodeURIComponent(SQL)}` },
    { name: 'ip', query: `ip=${encodeURIComponent("' OR '1'='1")}` },
    { name: 'type', query: `type=${encodeURIComponent("auth' OR 1=1 --")}` },
    { name: 'type prefix', query: `type=${encodeURIComponent("' OR 1=1 --*")}` },
  ];
  for (const c of sqlAsData) {
    test(`SQL in the audit ${c.name} filter is matched as text: 200 with no events`, async () => {
      const res = await admin.get(`/api/v1/audit?${c.query}`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.items, []);
    });
  }

  test('nothing was created, changed or deleted', async () => {
    const users = (await admin.get('/api/v1/users')).body.items as Array<{ id: string; disabled: boolean; email: string }>;
    assert.equal(users.length, usersBefore);
    assert.equal(users.find((u) => u.id === targetId)?.disabled, false);
    assert.deepEqual((await admin.get('/api/v1/settings/allowlist')).body.entries, []);
  });

  test('Object.prototype was not polluted', () => {
    const probe = {} as Record<string, unknown>;
    assert.equal(probe.polluted, undefined);
    assert.equal(probe.disabled, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  test('the panel still answers normally', async () => {
    assert.equal((await admin.get('/api/v1/users/me')).status, 200);
    assert.equal((await new TestClient(panel.url).get('/readyz')).status, 200);
  });
});
