// Lockdown's proofs and undo: an administrator with 2FA gives a code again; maintenance mode and the new-password
// requirement can be undone (API and CLI); chosen users only; everything audited; the affected users e-mailed through a
// real SMTP server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { codeAt, enableTwoFactor } from '../helpers/two-factor.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually, startMailServer } from '../helpers/mail-server.ts';

test('an administrator with 2FA gives a code again; chosen users only; maintenance and passwords undone', async (t) => {
  const { panel, admin } = await panelWithAdmin();
  t.after(() => panel.close());
  const bob = await createUser(panel, admin, ['auditor']);
  const carol = await createUser(panel, admin, ['auditor']);
  const { secret, recoveryCodes } = await enableTwoFactor(admin, systemClock);

  const noCode = await admin.post('/api/v1/lockdown', { password: ADMIN.password, passwordReset: { users: [bob.id] } });
  assert.equal(noCode.status, 400);
  assert.equal(noCode.body.error.code, 'code_required');
  const badCode = await admin.post('/api/v1/lockdown', { password: ADMIN.password, code: '000000', passwordReset: { users: [bob.id] } });
  assert.equal(badCode.status, 400);
  assert.equal(badCode.body.error.code, 'invalid_code');
  const done = await admin.post('/api/v1/lockdown', { password: ADMIN.password, code: codeAt(secret, systemClock, 1), passwordReset: { users: [bob.id] } });
  assert.equal(done.status, 200, done.text);
  assert.equal((await admin.get('/api/v1/lockdown')).body.maintenance, null, 'maintenance only when asked');

  // Only bob must choose a new password; carol signs in as before.
  const b = new TestClient(panel.url);
  assert.equal((await b.login(bob.username, bob.password)).body.passwordChangeRequired, true);
  const c = new TestClient(panel.url);
  assert.equal((await c.login(carol.username, carol.password)).body.passwordChangeRequired, false);
  // Undone: bob is free again.
  assert.equal((await admin.post('/api/v1/lockdown/password-reset/lift', {})).body.users, 1);
  const b2 = new TestClient(panel.url);
  assert.equal((await b2.login(bob.username, bob.password)).body.passwordChangeRequired, false);
  assert.equal((await b2.get('/api/v1/audit?limit=1')).status, 200);

  // Maintenance from the command line, on and off.
  const run = async (args: string[]) => {
    const out: string[] = [];
    const code = await main([...args, '--config', panel.config.configPath], {}, { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  };
  assert.equal((await run(['lockdown'])).code, 2, 'refused without --yes');
  assert.equal((await run(['lockdown', 'maintenance', 'on'])).code, 0);
  // The panel reads the state at most a second old.
  await eventually(async () => (await new TestClient(panel.url).login(carol.username, carol.password)).status === 403, 'maintenance to reach the panel', 5_000, 100);
  assert.equal((await run(['lockdown', 'maintenance', 'off'])).code, 0);
  await eventually(async () => (await new TestClient(panel.url).login(carol.username, carol.password)).status === 200, 'maintenance to end', 5_000, 100);

  // The review: what a responder checks, each item with the audit event to open.
  const roles = (await admin.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>;
  assert.equal((await admin.put(`/api/v1/users/${carol.id}/roles`, { roles: [{ roleId: roles.find((r) => r.name === 'operator')!.id, serverId: null }] })).status, 200);
  assert.equal((await admin.post('/api/v1/clients', { name: 'new-bot', scopes: ['audit.view'] })).status, 201);
  assert.equal((await admin.json('DELETE', '/api/v1/account/2fa', { password: ADMIN.password, recoveryCode: recoveryCodes[0] })).status, 200);
  const review = await admin.get('/api/v1/incident/review?days=7');
  assert.equal(review.status, 200, review.text);
  const section = (id: string) => (review.body.sections as Array<{ id: string; items: Array<{ target: string | null; what: string; auditId: string | null }> }>).find((x) => x.id === id)!;
  assert.deepEqual(section('users_created').items.map((i) => i.target).sort(), [ADMIN.username, bob.username, carol.username].sort());
  assert.ok(section('privilege_changes').items.some((i) => i.target === carol.username && i.what === 'user.roles_changed'));
  assert.deepEqual(section('oauth_clients').items.map((i) => i.target), ['new-bot']);
  assert.deepEqual(section('two_factor_off').items.map((i) => i.what), ['auth.2fa.disabled']);
  assert.ok(section('new_networks'), 'sign-ins from new networks are listed from the monitor');
  assert.ok(section('users_created').items.every((i) => i.auditId !== null));
  assert.equal((await bob.client.get('/api/v1/incident/review')).status, 401, 'bob was signed out by the lockdown');

  const api = new TestClient(panel.url);
  const types = (await (async () => {
    await api.login(carol.username, carol.password);
    return ((await api.get('/api/v1/audit?type=lockdown.*&limit=20')).body.items as Array<{ type: string }>).map((e) => e.type);
  })()).sort();
  assert.deepEqual(types, ['lockdown.completed', 'lockdown.maintenance_off', 'lockdown.maintenance_on', 'lockdown.started']);
});

test('the lockdown e-mails the users it affects, through the alert e-mail channel, one e-mail each', async (t) => {
  const mail = await startMailServer();
  const { panel, admin } = await panelWithAdmin({ alerts: { sendTimeoutSeconds: 5 } });
  t.after(async () => {
    await panel.close();
    await mail.close();
  });
  const dave = await createUser(panel, admin, ['auditor']);
  const erin = await createUser(panel, admin, ['admin']);
  assert.equal((await admin.post('/api/v1/alerts/channels', { type: 'email', name: 'mail', allowPrivateNetwork: true, config: { host: '127.0.0.1', port: mail.port, secure: false, starttls: 'off', from: 'panel@example.test', to: ['oncall@example.test'] } })).status, 201);
  const clientRes = await erin.client.post('/api/v1/clients', { name: 'erin-bot', scopes: ['audit.view'] });
  assert.equal(clientRes.status, 201, clientRes.text);

  const done = await admin.post('/api/v1/lockdown', { password: ADMIN.password, passwordReset: { users: [dave.id] }, notifyUsers: true });
  assert.equal(done.status, 200, done.text);
  const notify = (done.body.report.steps as Array<{ step: string; count: number; detail: string }>).find((s) => s.step === 'notify')!;
  assert.equal(notify.count, 2, notify.detail);
  await eventually(() => mail.mails.length === 2, 'two e-mails', 10_000, 50);
  const to = (address: string) => mail.mails.find((m) => m.to.includes(address));
  const daveMail = to(dave.email)!;
  const erinMail = to(erin.email)!;
  assert.ok(daveMail && erinMail, mail.mails.map((m) => m.to.join(',')).join(' '));
  assert.equal(daveMail.to.length, 1, 'nobody sees the others\' addresses');
  assert.match(daveMail.subject, /Security lockdown: action needed/);
  assert.match(daveMail.text, /choose a new password/);
  assert.doesNotMatch(daveMail.text, /erin-bot/);
  assert.match(erinMail.text, /erin-bot were disabled/);
  assert.doesNotMatch(erinMail.text, /choose a new password/);
  assert.equal(mail.mails.some((m) => m.to.includes(ADMIN.email)), false, 'the caller is not told what they did');
});
