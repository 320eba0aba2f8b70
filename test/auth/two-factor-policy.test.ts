// The 2FA policy (none, admins, all: config minimum and panel setting) forcing setup before anything else, and the admin reset.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allRoutes } from '../../src/http/app.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, createUser, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';
import { codeAt, enableTwoFactor, signInWithCode } from '../helpers/two-factor.ts';

const STEP = 30_000;

/** Every route a covered user without 2FA may still call besides the public ones. */
const ENROLMENT_ROUTES = ['GET /api/v1/account/2fa', 'POST /api/v1/account/2fa/setup', 'POST /api/v1/account/2fa/confirm'];

describe('require2fa: admins (the default)', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 13, 0, 5));
  let panel: TestPanel;
  let admin: TestClient;
  let operator: Awaited<ReturnType<typeof createUser>>;
  let operatorSecret: string;
  before(async () => {
    panel = await startPanel({ security: { require2fa: 'admins' } }, { clock });
  });
  after(() => panel.close());

  test('a new administrator is sent to 2FA setup right after setup and reaches nothing else until done', async () => {
    const token = await panel.services.setup.issueToken();
    admin = new TestClient(panel.url);
    const res = await admin.post('/api/v1/setup', { token, ...ADMIN });
    assert.equal(res.status, 201);
    assert.equal(res.body.twoFactorSetupRequired, true);
    admin.csrf = res.body.csrfToken;

    const session = await admin.get('/api/v1/auth/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.twoFactorSetupRequired, true);
    const open: string[] = [];
    for (const { prefix, routes } of allRoutes(panel.services, 'test')) {
      for (const r of routes.filter((x) => !('public' in x.access))) {
        const full = `${r.method} ${prefix}${r.path}`;
        if (ENROLMENT_ROUTES.includes(full)) continue;
        const path = `${prefix}${r.path}`.replace(/:[A-Za-z]+/g, '00000000-0000-0000-0000-000000000000');
        const res2 = await admin.json(r.method, path, r.method === 'GET' ? undefined : {});
        if (res2.status !== 403 || res2.body.error.code !== 'two_factor_setup_required') open.push(`${full} -> ${res2.status}`);
      }
    }
    assert.deepEqual(open, []);
    const status = await admin.get('/api/v1/account/2fa');
    assert.equal(status.status, 200);
    assert.equal(status.body.requiredByPolicy, true);
    assert.equal(status.body.policy, 'admins');

    await enableTwoFactor(admin, clock);
    assert.equal((await admin.get('/api/v1/users/me')).status, 200);
    assert.equal((await admin.get('/api/v1/auth/session')).body.twoFactorSetupRequired, false);
  });

  test('a user without the admin scope is not covered', async () => {
    operator = await createUser(panel, admin, ['operator']);
    const login = await new TestClient(panel.url).login(operator.username, operator.password);
    assert.equal(login.body.twoFactorSetupRequired, false);
    assert.equal((await operator.client.get('/api/v1/users/me')).status, 200);
  });

  test('raising the policy to all reaches sessions already open; it can never go below the config minimum', async () => {
    const auditor = await createUser(panel, admin, ['auditor']);
    assert.equal((await auditor.client.get('/api/v1/settings/two-factor')).body.effective, 'admins');
    const denied = await auditor.client.put('/api/v1/settings/two-factor', { require2fa: 'all' });
    assert.equal(denied.status, 403);

    const below = await admin.put('/api/v1/settings/two-factor', { require2fa: 'none' });
    assert.equal(below.status, 400);
    assert.equal(below.body.error.code, 'below_config_minimum');
    const bad = await admin.put('/api/v1/settings/two-factor', { require2fa: 'everyone' });
    assert.equal(bad.status, 400);

    const res = await admin.put('/api/v1/settings/two-factor', { require2fa: 'all' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { require2fa: 'all', configMinimum: 'admins', effective: 'all' });
    const changed = await panel.services.audit.list({ type: 'settings.two_factor_policy_changed', limit: 5 });
    assert.deepEqual([changed[0]!.details.before, changed[0]!.details.after], ['admins', 'all']);

    const blocked = await operator.client.get('/api/v1/users/me');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.error.code, 'two_factor_setup_required');
    clock.advance(STEP);
    operatorSecret = (await enableTwoFactor(operator.client, clock)).secret;
    assert.equal((await operator.client.get('/api/v1/users/me')).status, 200);
  });

  test('turning 2FA off while the policy covers you leads straight back to setup', async () => {
    clock.advance(2 * STEP);
    const res = await operator.client.json('DELETE', '/api/v1/account/2fa', { password: operator.password, code: codeAt(operatorSecret, clock) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.twoFactorSetupRequired, true);
    assert.equal((await operator.client.get('/api/v1/users/me')).body.error.code, 'two_factor_setup_required');
    assert.equal((await operator.client.get('/api/v1/account/2fa')).body.enabled, false);
  });
});

describe('an administrator resets another user\'s 2FA', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 27, 14, 0, 5));
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    panel = await startPanel({}, { clock });
    admin = await setupAdmin(panel);
  });
  after(() => panel.close());

  test('only an administrator whose own 2FA is on, never on themselves, and the user\'s sessions end', async () => {
    const target = await createUser(panel, admin, ['operator']);
    clock.advance(STEP);
    const { secret } = await enableTwoFactor(target.client, clock);

    const withoutOwn = await admin.json('DELETE', `/api/v1/users/${target.id}/2fa`);
    assert.equal(withoutOwn.status, 403);
    assert.equal(withoutOwn.body.error.code, 'two_factor_required');

    clock.advance(STEP);
    await enableTwoFactor(admin, clock);
    const adminId = (await admin.get('/api/v1/users/me')).body.user.id as string;
    assert.equal((await admin.json('DELETE', `/api/v1/users/${adminId}/2fa`)).body.error.code, 'use_account_disable');
    const noTwoFactor = await createUser(panel, admin, ['auditor']);
    assert.equal((await admin.json('DELETE', `/api/v1/users/${noTwoFactor.id}/2fa`)).body.error.code, 'two_factor_not_enabled');
    assert.equal((await noTwoFactor.client.json('DELETE', `/api/v1/users/${target.id}/2fa`)).status, 403);
    assert.equal((await admin.json('DELETE', '/api/v1/users/00000000-0000-0000-0000-000000000000/2fa')).status, 404);

    clock.advance(STEP);
    const again = await signInWithCode(panel.url, target.username, target.password, { code: codeAt(secret, clock) });
    const res = await admin.json('DELETE', `/api/v1/users/${target.id}/2fa`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.user.twoFactorEnabled, false);
    assert.equal((await again.get('/api/v1/users/me')).status, 401);
    assert.equal((await target.client.get('/api/v1/users/me')).status, 401);
    const [event] = await panel.services.audit.list({ type: 'auth.2fa.reset_by_admin', limit: 5 });
    assert.equal(event!.target?.id, target.id);
    assert.equal(event!.actor.name, ADMIN.username);
    assert.ok(Number(event!.details.sessionsEnded) >= 2);
    // The user signs in with the password alone again (and sets 2FA up anew if the policy says so).
    const login = await new TestClient(panel.url).login(target.username, target.password);
    assert.equal(login.status, 200);
    assert.equal(login.body.twoFactorRequired, undefined);
  });
});
