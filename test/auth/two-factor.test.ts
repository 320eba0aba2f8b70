// Two-factor authentication end to end over HTTP: setup, the second sign-in step, skew, replay, limits, recovery codes, proof to turn it off.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createManualClock } from '../../src/shared/clock.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, createUser, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';
import { codeAt, enableTwoFactor, signInWithCode } from '../helpers/two-factor.ts';

const STEP = 30_000;

async function auditTypes(panel: TestPanel, type: string) {
  return panel.services.audit.list({ type, limit: 100 });
}

describe('two-factor setup', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 9, 0, 5));
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    panel = await startPanel({}, { clock });
    admin = await setupAdmin(panel);
  });
  after(() => panel.close());

  test('setup shows a secret, an otpauth URL and a PNG QR code; a wrong code does not turn 2FA on', async () => {
    const adminId = (await admin.get('/api/v1/users/me')).body.user.id as string;
    assert.equal(await panel.services.twoFactor.passwordAloneAccepted(adminId), true);
    const res = await admin.post('/api/v1/account/2fa/setup');
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.secret, /^[A-Z2-7]{32}$/);
    const url = new URL(res.body.otpauthUrl);
    assert.equal(url.protocol, 'otpauth:');
    assert.equal(url.host, 'totp');
    assert.equal(decodeURIComponent(url.pathname), `/Aether Panel:${ADMIN.username}`);
    assert.equal(url.searchParams.get('secret'), res.body.secret);
    assert.equal(url.searchParams.get('issuer'), 'Aether Panel');
    assert.match(res.body.qrCode, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    assert.ok(Buffer.from(res.body.qrCode.split(',')[1], 'base64').subarray(1, 4).toString() === 'PNG');

    const wrong = await admin.post('/api/v1/account/2fa/confirm', { code: codeAt(res.body.secret, clock, 5) });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'invalid_code');
    // Starting again replaces the secret: a code of the first one no longer confirms.
    const again = await admin.post('/api/v1/account/2fa/setup');
    assert.notEqual(again.body.secret, res.body.secret);
    assert.equal((await admin.post('/api/v1/account/2fa/confirm', { code: codeAt(res.body.secret, clock) })).body.error.code, 'invalid_code');
    assert.equal(await panel.db('user_totp').count({ n: '*' }).first().then((r) => Number((r as { n: number }).n)), 1);
    const malformed = await admin.post('/api/v1/account/2fa/confirm', { code: 'abc' });
    assert.equal(malformed.status, 400);
    assert.equal((await admin.get('/api/v1/account/2fa')).body.enabled, false);
    assert.equal((await admin.get('/api/v1/users/me')).body.user.twoFactorEnabled, false);
  });

  test('confirming with a current code turns it on and shows 10 recovery codes once; the secret is encrypted at rest', async () => {
    const other = await signInWithPassword(panel);
    const { secret, recoveryCodes } = await enableTwoFactor(admin, clock);
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    for (const c of recoveryCodes) assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);

    const adminId = (await admin.get('/api/v1/users/me')).body.user.id as string;
    assert.equal(await panel.services.twoFactor.passwordAloneAccepted(adminId), false, 'no password-only access (SFTP) for a 2FA account');
    const status = await admin.get('/api/v1/account/2fa');
    assert.equal(status.body.enabled, true);
    assert.equal(status.body.recoveryCodesLeft, 10);
    assert.equal(status.body.enabledAt, new Date(clock.now()).toISOString());
    assert.equal((await admin.get('/api/v1/users')).body.items[0].twoFactorEnabled, true);
    // Sessions opened before 2FA was on are ended; the confirming one goes on under a new id.
    assert.equal((await other.get('/api/v1/users/me')).status, 401);
    assert.equal((await admin.get('/api/v1/users/me')).status, 200);
    assert.equal((await auditTypes(panel, 'auth.2fa.enabled')).length, 1);
    // Setting up again while it is on is refused.
    assert.equal((await admin.post('/api/v1/account/2fa/setup')).body.error.code, 'two_factor_already_enabled');

    // SECURITY: neither the secret nor any recovery code is in the database, in any form a user would type: in the
    // SQLite file and its log, or (on a database server) in any row of the tables that hold them.
    const dbFile = panel.config.paths.database;
    const stored = dbFile
      ? [readFileSync(dbFile), readFileSync(`${dbFile}-wal`)]
      : [Buffer.from(JSON.stringify([await panel.db('user_totp').select('*'), await panel.db('recovery_codes').select('*')]))];
    for (const bytes of stored) {
      const text = bytes.toString('latin1');
      assert.equal(text.includes(secret), false, 'TOTP secret readable in the database file');
      for (const c of recoveryCodes) {
        assert.equal(text.includes(c), false, 'recovery code readable in the database file');
        assert.equal(text.includes(c.replace(/-/g, '')), false, 'recovery code readable in the database file');
      }
    }
    const row = (await panel.db('user_totp').first()) as { secret_enc: string };
    assert.match(row.secret_enc, /^v1\.[0-9a-f]{8}\./);
    const key = join(panel.config.paths.dataDir, 'keys', 'totp.key');
    assert.equal(statSync(key).mode & 0o777, 0o600);
  });

  test('a sealed secret copied to another account does not open there', async () => {
    const user = await createUser(panel, admin, ['operator']);
    const setup = await user.client.post('/api/v1/account/2fa/setup');
    assert.equal(setup.status, 200);
    const adminRow = (await panel.db('user_totp').whereNotNull('confirmed_at').first()) as { secret_enc: string };
    await panel.db('user_totp').where({ user_id: user.id }).update({ secret_enc: adminRow.secret_enc });
    const res = await user.client.post('/api/v1/account/2fa/confirm', { code: '123456' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'totp_unavailable');
  });

  async function signInWithPassword(p: TestPanel): Promise<TestClient> {
    const c = new TestClient(p.url);
    assert.equal((await c.login(ADMIN.username, ADMIN.password)).status, 200);
    return c;
  }
});

describe('signing in with a second factor', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 10, 0, 5));
  let panel: TestPanel;
  let admin: TestClient;
  let secret: string;
  let recoveryCodes: string[];
  const resetAccountLimit = async () => {
    const row = (await panel.db('users').where({ username: ADMIN.username }).first()) as { id: string };
    await panel.services.limits.twoFactorPerAccount.reset(`id:${row.id}`);
  };
  before(async () => {
    panel = await startPanel({ rateLimits: { twoFactorPerAccount: { points: 8, durationSeconds: 900, blockSeconds: 900 }, twoFactorPerIp: { points: 100, durationSeconds: 900, blockSeconds: 900 } } }, { clock });
    admin = await setupAdmin(panel);
    ({ secret, recoveryCodes } = await enableTwoFactor(admin, clock));
  });
  after(() => panel.close());

  test('the password alone gives a pending sign-in that reaches nothing, then a valid code completes it with a new session id', async () => {
    clock.advance(STEP);
    const adminId = (await admin.get('/api/v1/users/me')).body.user.id as string;
    const lastLogin = (await panel.services.users.row(adminId)).last_login_at;
    const client = new TestClient(panel.url);
    const first = await client.login(ADMIN.username, ADMIN.password);
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body).sort(), ['csrfToken', 'expiresAt', 'twoFactorRequired']);
    assert.equal(first.body.expiresAt, new Date(clock.now() + 5 * 60_000).toISOString());
    const pendingCookie = client.jar.get('aether_session');
    assert.ok(pendingCookie);

    // SECURITY: the pending session reaches no endpoint but the second step.
    for (const { prefix, routes } of (await import('../../src/http/app.ts')).allRoutes(panel.services, 'test')) {
      for (const r of routes.filter((x) => !('public' in x.access))) {
        const path = `${prefix}${r.path}`.replace(/:[A-Za-z]+/g, '00000000-0000-0000-0000-000000000000');
        const res = await client.json(r.method, path, r.method === 'GET' ? undefined : {});
        assert.equal(res.status, 401, `${r.method} ${path}`);
        assert.equal(res.body.error.code, 'second_factor_required', `${r.method} ${path}`);
      }
    }
    const session = await client.get('/api/v1/auth/session');
    assert.equal(session.status, 401);
    assert.equal(session.body.error.code, 'second_factor_required');
    // After a reload the page learns the pending session's CSRF token here.
    assert.equal(session.body.error.details.csrfToken, first.body.csrfToken);
    // Not signed in yet: the last login is not recorded.
    assert.equal((await panel.services.users.row(adminId)).last_login_at, lastLogin);

    // The second step needs the pending session's CSRF token.
    const noCsrf = await client.json('POST', '/api/v1/auth/2fa', { code: codeAt(secret, clock) }, { 'X-CSRF-Token': 'nope' });
    assert.equal(noCsrf.status, 403);
    const done = await client.post('/api/v1/auth/2fa', { code: codeAt(secret, clock) });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.user.username, ADMIN.username);
    assert.equal(done.body.twoFactorSetupRequired, false);
    assert.notEqual(client.jar.get('aether_session'), pendingCookie);
    client.csrf = done.body.csrfToken;
    assert.equal((await client.get('/api/v1/users/me')).status, 200);
    assert.equal(Number((await panel.services.users.row(adminId)).last_login_at), clock.now());
    const success = (await auditTypes(panel, 'auth.login.success'))[0]!;
    assert.equal(success.details.method, 'password+totp');
    // The pending session id is gone for good.
    const stale = new TestClient(panel.url);
    stale.jar.set('aether_session', pendingCookie);
    assert.equal((await stale.get('/api/v1/users/me')).status, 401);
  });

  test('a code of the step before or after is accepted (clock skew); two steps away is not', async () => {
    clock.advance(3 * STEP);
    await signInWithCode(panel.url, ADMIN.username, ADMIN.password, { code: codeAt(secret, clock, -1) });
    clock.advance(3 * STEP);
    await signInWithCode(panel.url, ADMIN.username, ADMIN.password, { code: codeAt(secret, clock, 1) });
    clock.advance(3 * STEP);
    for (const steps of [-2, 2]) {
      const c = new TestClient(panel.url);
      await c.login(ADMIN.username, ADMIN.password);
      const res = await c.post('/api/v1/auth/2fa', { code: codeAt(secret, clock, steps) });
      assert.equal(res.status, 400, `steps ${steps}`);
      assert.equal(res.body.error.code, 'invalid_code');
    }
  });

  test('a code accepted once is refused the second time, even from a new sign-in (replay)', async () => {
    clock.advance(3 * STEP);
    const code = codeAt(secret, clock);
    await signInWithCode(panel.url, ADMIN.username, ADMIN.password, { code });
    const again = new TestClient(panel.url);
    await again.login(ADMIN.username, ADMIN.password);
    const res = await again.post('/api/v1/auth/2fa', { code });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_code');
    // The code of the previous step is older than the last accepted one: refused too.
    assert.equal((await again.post('/api/v1/auth/2fa', { code: codeAt(secret, clock, -1) })).status, 400);
    const failures = await auditTypes(panel, 'auth.2fa.failure');
    assert.equal(failures[1]!.details.reason, 'code_reused');
    assert.equal(failures[1]!.details.purpose, 'login');
  });

  test('two requests racing with one code: exactly one is accepted', async () => {
    clock.advance(3 * STEP);
    const code = codeAt(secret, clock);
    const clients = await Promise.all([0, 1, 2, 3].map(async () => {
      const c = new TestClient(panel.url);
      await c.login(ADMIN.username, ADMIN.password);
      return c;
    }));
    const results = await Promise.all(clients.map((c) => c.post('/api/v1/auth/2fa', { code })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400, 400]);
  });

  test('a recovery code works once and only once, in any case and spacing; its use is audited and counted', async () => {
    const [first] = recoveryCodes as [string];
    const typed = ` ${first.toLowerCase().replace(/-/g, ' ')} `;
    const c = new TestClient(panel.url);
    await c.login(ADMIN.username, ADMIN.password);
    const res = await c.post('/api/v1/auth/2fa', { recoveryCode: typed });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.recoveryCodesLeft, 9);
    c.csrf = res.body.csrfToken;
    const status = (await c.get('/api/v1/account/2fa')).body;
    assert.equal(status.recoveryCodesLeft, 9);
    assert.equal(status.lastRecoveryCodeUse.ip, '127.0.0.1');
    const used = await auditTypes(panel, 'auth.2fa.recovery_used');
    assert.equal(used.length, 1);
    assert.equal(used[0]!.details.recoveryCodesLeft, 9);

    const again = new TestClient(panel.url);
    await again.login(ADMIN.username, ADMIN.password);
    const second = await again.post('/api/v1/auth/2fa', { recoveryCode: first });
    assert.equal(second.status, 400);
    assert.equal(second.body.error.code, 'invalid_code');
  });

  test('five wrong codes end the pending sign-in; the password must be entered again', async () => {
    clock.advance(3 * STEP);
    await resetAccountLimit();
    const c = new TestClient(panel.url, { localAddress: '127.0.0.9' });
    await c.login(ADMIN.username, ADMIN.password);
    for (let i = 0; i < 4; i += 1) assert.equal((await c.post('/api/v1/auth/2fa', { code: '000000' })).status, 400);
    const fifth = await c.post('/api/v1/auth/2fa', { code: '000000' });
    assert.equal(fifth.status, 401);
    assert.equal(fifth.body.error.code, 'no_pending_login');
    // Even the right code does not help now.
    const late = await c.post('/api/v1/auth/2fa', { code: codeAt(secret, clock) });
    assert.equal(late.status, 401);
    assert.equal(late.body.error.code, 'no_pending_login');
  });

  test('wrong codes are limited per account, from any address, and the limit is audited', async () => {
    // 8 wrong codes per account, each from a fresh address and session; the ninth is refused.
    await resetAccountLimit();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const c = new TestClient(panel.url, { localAddress: `127.0.1.${i + 1}` });
      await c.login(ADMIN.username, ADMIN.password);
      statuses.push((await c.post('/api/v1/auth/2fa', { code: '111111' })).status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 400, 400, 400, 429]);
    const c = new TestClient(panel.url, { localAddress: '127.0.2.1' });
    await c.login(ADMIN.username, ADMIN.password);
    const blocked = await c.post('/api/v1/auth/2fa', { code: codeAt(secret, clock) });
    assert.equal(blocked.status, 429, 'even a right code waits while the account is blocked');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    const limited = await auditTypes(panel, 'auth.rate_limited');
    assert.ok(limited.some((e) => e.details.limiter === '2fa_account'));
    await resetAccountLimit();
  });

  test('a pending sign-in lasts five minutes', async () => {
    clock.advance(3 * STEP);
    const c = new TestClient(panel.url);
    await c.login(ADMIN.username, ADMIN.password);
    clock.advance(5 * 60_000 + 1);
    const res = await c.post('/api/v1/auth/2fa', { code: codeAt(secret, clock) });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'no_pending_login');
  });

  test('logout ends a pending sign-in', async () => {
    clock.advance(3 * STEP);
    const c = new TestClient(panel.url);
    await c.login(ADMIN.username, ADMIN.password);
    assert.equal((await c.post('/api/v1/auth/logout')).status, 204);
    assert.equal((await c.post('/api/v1/auth/2fa', { code: codeAt(secret, clock) })).body.error.code, 'no_pending_login');
  });

  test('bad input to the second step is a 4xx with a code, never a 5xx', async () => {
    const c = new TestClient(panel.url);
    await c.login(ADMIN.username, ADMIN.password);
    for (const body of [{}, { code: 123456 }, { code: '' }, { code: '1'.repeat(33) }, { recoveryCode: 'x'.repeat(65) }, { code: '123456', recoveryCode: 'AAAA' }, { code: '12345a' }, { recoveryCode: '!!!!' }, [], null]) {
      const res = await c.post('/api/v1/auth/2fa', body);
      assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(body)} -> ${res.status}`);
      assert.equal(typeof res.body.error.code, 'string');
    }
    const anonymous = await new TestClient(panel.url).post('/api/v1/auth/2fa', { code: '123456' });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'no_pending_login');
  });
});

describe('turning 2FA off and new recovery codes need proof', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 11, 0, 5));
  let panel: TestPanel;
  let admin: TestClient;
  let secret: string;
  let recoveryCodes: string[];
  before(async () => {
    panel = await startPanel({}, { clock });
    admin = await setupAdmin(panel);
    ({ secret, recoveryCodes } = await enableTwoFactor(admin, clock));
  });
  after(() => panel.close());

  test('new recovery codes need the password and a current code; the old ones stop working', async () => {
    clock.advance(STEP);
    assert.equal((await admin.post('/api/v1/account/2fa/recovery-codes', { code: codeAt(secret, clock) })).status, 400);
    const wrongPassword = await admin.post('/api/v1/account/2fa/recovery-codes', { password: 'Wrong-Password-123', code: codeAt(secret, clock) });
    assert.equal(wrongPassword.body.error.code, 'invalid_password');
    const wrongCode = await admin.post('/api/v1/account/2fa/recovery-codes', { password: ADMIN.password, code: codeAt(secret, clock, 4) });
    assert.equal(wrongCode.body.error.code, 'invalid_code');
    const res = await admin.post('/api/v1/account/2fa/recovery-codes', { password: ADMIN.password, code: codeAt(secret, clock) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.recoveryCodes.length, 10);
    assert.equal((await auditTypes(panel, 'auth.2fa.recovery_regenerated')).length, 1);
    const old = new TestClient(panel.url);
    await old.login(ADMIN.username, ADMIN.password);
    assert.equal((await old.post('/api/v1/auth/2fa', { recoveryCode: recoveryCodes[0] })).status, 400);
    recoveryCodes = res.body.recoveryCodes;
  });

  test('turning 2FA off needs the password and a code or a recovery code', async () => {
    clock.advance(STEP);
    const attempts = [
      { code: codeAt(secret, clock) },
      { password: ADMIN.password },
      { password: 'Wrong-Password-123', code: codeAt(secret, clock) },
      { password: ADMIN.password, code: '000000' },
      { password: ADMIN.password, recoveryCode: 'AAAA-AAAA-AAAA-AAAA' },
    ];
    const codes = [];
    for (const body of attempts) codes.push((await admin.json('DELETE', '/api/v1/account/2fa', body)).body.error.code);
    assert.deepEqual(codes, ['validation_failed', 'validation_failed', 'invalid_password', 'invalid_code', 'invalid_code']);
    assert.equal((await admin.get('/api/v1/account/2fa')).body.enabled, true);
    const failures = await auditTypes(panel, 'auth.2fa.failure');
    assert.ok(failures.some((e) => e.details.purpose === 'disable'));

    const res = await admin.json('DELETE', '/api/v1/account/2fa', { password: ADMIN.password, recoveryCode: recoveryCodes[3] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.twoFactorSetupRequired, false);
    assert.equal((await admin.get('/api/v1/account/2fa')).body.enabled, false);
    const disabled = await auditTypes(panel, 'auth.2fa.disabled');
    assert.equal(disabled[0]!.details.method, 'recovery_code');
    assert.equal(await panel.db('recovery_codes').count({ n: '*' }).first().then((r) => Number((r as { n: number }).n)), 0);
    // Signing in needs the password only again.
    assert.equal((await new TestClient(panel.url).login(ADMIN.username, ADMIN.password)).body.twoFactorSetupRequired, false);
  });
});

describe('no account probing through the second step', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 12, 0, 5));
  let panel: TestPanel;
  before(async () => {
    panel = await startPanel({}, { clock });
    const admin = await setupAdmin(panel);
    await enableTwoFactor(admin, clock);
    await createUser(panel, admin, ['auditor']);
  });
  after(() => panel.close());

  test('a wrong password gets the same answer whether or not the account has 2FA', async () => {
    const plain = (await panel.db('users').whereNot({ username: ADMIN.username }).first()) as { username: string };
    const answers = [];
    for (const name of [ADMIN.username, plain.username]) {
      const c = new TestClient(panel.url, { localAddress: '127.0.3.1' });
      const res = await c.login(name, 'Not-The-Password-1');
      answers.push({ status: res.status, code: res.body.error.code, message: res.body.error.message, keys: Object.keys(res.body.error).sort(), cookie: res.headers['set-cookie'] ?? null });
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.equal(answers[0]!.status, 401);
    assert.equal(answers[0]!.code, 'invalid_credentials');
  });
});

describe('wrong codes are limited per address too', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 12, 30, 5));
  let panel: TestPanel;
  let secret: string;
  before(async () => {
    panel = await startPanel({ rateLimits: { twoFactorPerIp: { points: 3, durationSeconds: 900, blockSeconds: 900 } } }, { clock });
    const admin = await setupAdmin(panel);
    ({ secret } = await enableTwoFactor(admin, clock));
  });
  after(() => panel.close());

  test('one address runs out of attempts; another address is not affected', async () => {
    clock.advance(STEP);
    const c = new TestClient(panel.url, { localAddress: '127.0.4.1' });
    await c.login(ADMIN.username, ADMIN.password);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await c.post('/api/v1/auth/2fa', { code: '222222' })).status);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    assert.equal((await c.post('/api/v1/auth/2fa', { code: codeAt(secret, clock) })).status, 429);
    const limited = await auditTypes(panel, 'auth.rate_limited');
    assert.equal(limited[0]!.details.limiter, '2fa_ip');
    assert.equal(limited[0]!.ip, '127.0.4.1');
    await signInWithCode(panel.url, ADMIN.username, ADMIN.password, { code: codeAt(secret, clock) }, { localAddress: '127.0.4.2' });
  });
});
