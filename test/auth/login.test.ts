// Password login over HTTP: one answer for unknown users and wrong passwords, e-mail login, the three login rate limits, disabled accounts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient, type Res } from '../helpers/client.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

// These tests are about the rate limits alone; the monitor's bans (tested in test/monitor) would answer first.
const NO_MONITOR = { monitor: { enabled: false } };

const LOGIN = '/api/v1/auth/login';

const attempt = (panel: TestPanel, username: string, password: string, localAddress = '127.0.0.1'): Promise<Res> =>
  new TestClient(panel.url, { localAddress }).post(LOGIN, { username, password });

function assertInvalidCredentials(res: Res): void {
  assert.equal(res.status, 401, res.text);
  assert.equal(res.body.error.code, 'invalid_credentials');
  assert.equal(res.body.error.message, 'Invalid username or password.');
  assert.equal(res.headers['set-cookie'], undefined, 'no session is started');
}

function assertRateLimited(res: Res, maxSeconds: number): void {
  assert.equal(res.status, 429, res.text);
  assert.equal(res.body.error.code, 'rate_limited');
  const retryAfter = String(res.headers['retry-after']);
  assert.match(retryAfter, /^\d+$/, 'Retry-After is whole seconds');
  assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= maxSeconds, `Retry-After ${retryAfter}`);
}

const failures = async (panel: TestPanel) => panel.services.audit.list({ type: 'auth.login.failure', limit: 200 });
const rateLimitEvents = async (panel: TestPanel) => panel.services.audit.list({ type: 'auth.rate_limited', limit: 200 });

describe('unknown user and wrong password', () => {
  let panel: TestPanel;
  const calls = { verify: 0, verifyDummy: 0 };
  before(async () => {
    ({ panel } = await panelWithAdmin(NO_MONITOR));
    // Count the hasher work each path does: both must run one argon2 verification.
    const hasher = panel.services.hasher;
    const { verify, verifyDummy } = hasher;
    hasher.verify = (hash, password) => {
      calls.verify += 1;
      return verify(hash, password);
    };
    hasher.verifyDummy = (password) => {
      calls.verifyDummy += 1;
      return verifyDummy(password);
    };
  });
  after(() => panel.close());

  test('get the identical status, code and message; only the request id differs', async () => {
    const unknown = await attempt(panel, 'nobody-here', 'Whatever-Password-1');
    const wrong = await attempt(panel, ADMIN.username, 'Wrong-Password-123');
    assertInvalidCredentials(unknown);
    assertInvalidCredentials(wrong);
    const { requestId: a, ...unknownRest } = unknown.body.error;
    const { requestId: b, ...wrongRest } = wrong.body.error;
    assert.deepEqual(unknownRest, wrongRest);
    assert.notEqual(a, b);
    assert.deepEqual(Object.keys(unknown.body), ['error']);
  });

  test('both paths run one password verification', async () => {
    calls.verify = 0;
    calls.verifyDummy = 0;
    assertInvalidCredentials(await attempt(panel, 'still-nobody', 'Whatever-Password-1'));
    assert.deepEqual(calls, { verify: 0, verifyDummy: 1 }, 'unknown user: a dummy verification');
    calls.verifyDummy = 0;
    assertInvalidCredentials(await attempt(panel, ADMIN.username, 'Wrong-Password-123'));
    assert.deepEqual(calls, { verify: 1, verifyDummy: 0 }, 'wrong password: a real verification');
  });

  test('the audit log tells them apart: unknown_user and wrong_password', async () => {
    await attempt(panel, 'Ghost.User', 'Whatever-Password-1');
    await attempt(panel, ADMIN.username, 'Wrong-Password-456');
    const [wrong, unknown] = await failures(panel);
    assert.equal(unknown?.details.reason, 'unknown_user');
    assert.deepEqual(unknown?.actor, { type: 'anonymous', id: null, name: 'ghost.user' });
    assert.equal(unknown?.ip, '127.0.0.1');
    assert.equal(wrong?.details.reason, 'wrong_password');
    assert.equal(wrong?.actor.name, ADMIN.username);
    assert.equal(wrong?.outcome, 'failure');
  });
});

describe('login names', () => {
  let panel: TestPanel;
  before(async () => {
    ({ panel } = await panelWithAdmin(NO_MONITOR));
  });
  after(() => panel.close());

  const cases: Array<{ name: string; login: string }> = [
    { name: 'username', login: ADMIN.username },
    { name: 'username in upper case', login: ADMIN.username.toUpperCase() },
    { name: 'username with surrounding spaces', login: `  ${ADMIN.username} ` },
    { name: 'e-mail', login: ADMIN.email },
    { name: 'e-mail in mixed case', login: 'Admin@EXAMPLE.Test' },
  ];
  for (const c of cases) {
    test(`signs in by ${c.name}`, async () => {
      const client = new TestClient(panel.url);
      const res = await client.login(c.login, ADMIN.password);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.user.username, ADMIN.username);
      assert.equal(typeof res.body.csrfToken, 'string');
      assert.equal((await client.get('/api/v1/users/me')).status, 200);
    });
  }

  test('the password is case-sensitive', async () => {
    assertInvalidCredentials(await attempt(panel, ADMIN.username, ADMIN.password.toLowerCase()));
  });
});

describe('disabled accounts', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin(NO_MONITOR));
  });
  after(() => panel.close());

  test('cannot sign in with the right password: 401 invalid_credentials, audited as account_disabled', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: true })).status, 200);
    assertInvalidCredentials(await attempt(panel, user.username, user.password));
    const [event] = await failures(panel);
    assert.equal(event?.details.reason, 'account_disabled');
    assert.equal(event?.target.id, user.id);

    assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: false })).status, 200);
    assert.equal((await attempt(panel, user.username, user.password)).status, 200, 'enabled again');
  });
});

// Limits: N points means N attempts per window. Each attempt is counted before its password is checked (so concurrent
// guesses cannot slip past), a successful login gives its point back, and attempt N+1 starts the block: every later
// attempt on that key, right password or not, gets 429 until it ends.
describe('rate limit per address and account (3 failures)', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let victim: Awaited<ReturnType<typeof createUser>>;
  let bystander: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin({
      ...NO_MONITOR,
      rateLimits: {
        loginPerIp: { points: 5, durationSeconds: 900, blockSeconds: 60 },
        loginPerIpAccount: { points: 3, durationSeconds: 900, blockSeconds: 60 },
        loginPerAccount: { points: 10, durationSeconds: 900, blockSeconds: 300 },
      },
    }));
    victim = await createUser(panel, admin, ['auditor']);
    bystander = await createUser(panel, admin, ['auditor']);
  });
  after(() => panel.close());

  test('hammering one account from 127.0.0.1 ends in 429 with Retry-After', async () => {
    for (let i = 1; i <= 3; i += 1) assertInvalidCredentials(await attempt(panel, victim.username, `Wrong-Guess-${i}x`));
    const blocked = await attempt(panel, victim.username, 'Wrong-Guess-4x');
    assertRateLimited(blocked, 60);
    assert.equal(blocked.body.error.details.retryAfterSeconds, Number(blocked.headers['retry-after']));
  });

  test('the blocked address is refused even with the right password', async () => {
    assertRateLimited(await attempt(panel, victim.username, victim.password), 60);
    assertRateLimited(await attempt(panel, victim.username.toUpperCase(), victim.password), 60);
  });

  test('an auth.rate_limited event names the limiter, address and account', async () => {
    const events = await rateLimitEvents(panel);
    assert.equal(events.length, 1, 'recorded once, when the block starts');
    assert.equal(events[0]!.details.limiter, 'login_ip_account');
    assert.equal(events[0]!.ip, '127.0.0.1');
    assert.equal(events[0]!.target.id, victim.id);
    assert.equal(events[0]!.outcome, 'denied');
  });

  test('another user from another address still signs in', async () => {
    const res = await attempt(panel, bystander.username, bystander.password, '127.0.0.2');
    assert.equal(res.status, 200, res.text);
  });

  test('another user from the same address still signs in (the per-address limit is not reached)', async () => {
    const res = await attempt(panel, bystander.username, bystander.password, '127.0.0.1');
    assert.equal(res.status, 200, res.text);
  });

  test('the victim signs in from another address: the block is per address and account, not a lock-out', async () => {
    const res = await attempt(panel, victim.username, victim.password, '127.0.0.2');
    assert.equal(res.status, 200, res.text);
  });
});

describe('a successful login resets the address-and-account count', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin({ ...NO_MONITOR, rateLimits: { loginPerIpAccount: { points: 3, durationSeconds: 900, blockSeconds: 60 } } }));
  });
  after(() => panel.close());

  test('2 failures, a success, 2 more failures, a success: never 429', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    for (let i = 0; i < 2; i += 1) assertInvalidCredentials(await attempt(panel, user.username, 'Wrong-Guess-1x'));
    assert.equal((await attempt(panel, user.username, user.password)).status, 200);
    for (let i = 0; i < 2; i += 1) assertInvalidCredentials(await attempt(panel, user.username, 'Wrong-Guess-2x'));
    assert.equal((await attempt(panel, user.username, user.password)).status, 200);
  });

  test('username and e-mail share one budget of attempts', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    assertInvalidCredentials(await attempt(panel, user.username, 'Wrong-Guess-1x'));
    assertInvalidCredentials(await attempt(panel, user.email, 'Wrong-Guess-2x'));
    assertInvalidCredentials(await attempt(panel, user.username.toUpperCase(), 'Wrong-Guess-3x'));
    assertRateLimited(await attempt(panel, user.email, user.password), 60);
  });

  test('concurrent guesses are counted before any password is checked', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    let verified = 0;
    const original = panel.services.hasher.verify;
    panel.services.hasher.verify = async (...args) => {
      verified += 1;
      return original(...args);
    };
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(panel, user.username, `Burst-Guess-${i}x`, '127.0.0.9')));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 401).length, 3, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 17);
      assert.equal(verified, 3, 'only the admitted attempts reach argon2');
    } finally {
      panel.services.hasher.verify = original;
    }
  });
});

describe('rate limit per address (5 failures, any accounts)', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin({
      ...NO_MONITOR,
      rateLimits: {
        loginPerIp: { points: 5, durationSeconds: 900, blockSeconds: 60 },
        loginPerIpAccount: { points: 3, durationSeconds: 900, blockSeconds: 60 },
      },
    }));
  });
  after(() => panel.close());

  test('spraying many accounts from one address blocks that address for everyone', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    for (let i = 1; i <= 5; i += 1) assertInvalidCredentials(await attempt(panel, `ghost-${i}`, 'Spray-Password-1', '127.0.0.3'));
    assertRateLimited(await attempt(panel, user.username, user.password, '127.0.0.3'), 60);
    assert.equal((await attempt(panel, user.username, user.password, '127.0.0.4')).status, 200, 'other addresses are not affected');
    const [event] = await rateLimitEvents(panel);
    assert.equal(event?.details.limiter, 'login_ip');
    assert.equal(event?.ip, '127.0.0.3');
  });
});

describe('rate limit per address over IPv6: one /64 counts as one address', () => {
  let panel: TestPanel;
  let admin: TestClient;
  // The panel believes X-Forwarded-For from 127.0.0.1 here, so each attempt can come from any IPv6 address.
  const from = (ip: string, username: string, password: string) =>
    new TestClient(panel.url).json('POST', LOGIN, { username, password }, { 'X-Forwarded-For': ip });
  before(async () => {
    ({ panel, admin } = await panelWithAdmin({
      ...NO_MONITOR,
      http: { host: '127.0.0.1', port: 0, trustedProxies: ['127.0.0.1/32'] },
      rateLimits: { loginPerIp: { points: 5, durationSeconds: 900, blockSeconds: 60 } },
    }));
  });
  after(() => panel.close());

  test('a fresh address from the same /64 for every guess is still blocked after 5; another /64 signs in', async () => {
    const user = await createUser(panel, admin, ['auditor']);
    for (let i = 1; i <= 5; i += 1) assertInvalidCredentials(await from(`2001:db8:1:2::${i}`, `ghost-${i}`, 'Spray-Password-1'));
    assertRateLimited(await from('2001:db8:1:2:ffff:ffff:ffff:fffe', user.username, user.password), 60);
    assert.equal((await from('2001:db8:1:3::1', user.username, user.password)).status, 200, 'the neighbouring /64 is not affected');
    const [event] = await rateLimitEvents(panel);
    assert.equal(event?.details.limiter, 'login_ip');
    assert.equal(event?.ip, '2001:db8:1:2:ffff:ffff:ffff:fffe', 'the audit trail keeps the exact address');
  });
});

describe('rate limit per account (4 failures, from any address)', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin({
      ...NO_MONITOR,
      rateLimits: {
        loginPerIp: { points: 100, durationSeconds: 900, blockSeconds: 60 },
        loginPerIpAccount: { points: 3, durationSeconds: 900, blockSeconds: 60 },
        loginPerAccount: { points: 4, durationSeconds: 900, blockSeconds: 120 },
      },
    }));
  });
  after(() => panel.close());

  test('failures spread over addresses lock the account everywhere, and only that account', async () => {
    const victim = await createUser(panel, admin, ['auditor']);
    const other = await createUser(panel, admin, ['auditor']);
    for (let i = 0; i < 3; i += 1) assertInvalidCredentials(await attempt(panel, victim.username, 'Wrong-Guess-1x', '127.0.0.5'));
    assertInvalidCredentials(await attempt(panel, victim.username, 'Wrong-Guess-2x', '127.0.0.6'));
    assertRateLimited(await attempt(panel, victim.username, victim.password, '127.0.0.7'), 120);
    assert.equal((await attempt(panel, other.username, other.password, '127.0.0.7')).status, 200);
    const [event] = await rateLimitEvents(panel);
    assert.equal(event?.details.limiter, 'login_account');
    assert.equal(event?.target.id, victim.id);
  });
});
