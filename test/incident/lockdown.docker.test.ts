// Lockdown on a real panel with a real server (a container) and the OpenSSH client: after it, old OAuth2 tokens and
// client secrets, other sessions and an open SFTP session all fail, while the caller's session works; maintenance mode
// lets only administrators in; users must choose a new password; a client works again once its owner takes the new
// secret. The same from the command line, which keeps no session at all.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { bearer, requestToken } from '../helpers/oauth.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';
import { askpassEnv, HAS_SFTP_CLIENT, sftpArgs } from '../helpers/sftp-client.ts';

test('lockdown: tokens, secrets, other sessions and SFTP sessions fail; the caller stays; maintenance; new passwords', { timeout: 180_000 }, async (t) => {
  if (!needsDocker(t) || !needs(t, 'sftp', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) return;
  const ports = testPortRange();
  const { panel, admin } = await panelWithAdmin({ servers: { portRange: ports }, sftp: { enabled: true, recheckSeconds: 1 } });
  const dir = mkdtempSync(join(tmpdir(), 'aether-lockdown-'));
  let serverId = '';
  t.after(async () => {
    const api = new TestClient(panel.url);
    await api.login(ADMIN.username, ADMIN.password);
    if (serverId) await api.del(`/api/v1/servers/${serverId}`).catch(() => undefined);
    await panel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Before: another admin session, a user's session, an API client with a live token, and an open SFTP session.
  const otherAdmin = new TestClient(panel.url);
  assert.equal((await otherAdmin.login(ADMIN.username, ADMIN.password)).status, 200);
  const alice = await createUser(panel, admin, ['auditor']);
  const client = await admin.post('/api/v1/clients', { name: 'ci-deploy', scopes: ['audit.view'] });
  assert.equal(client.status, 201, client.text);
  const creds = { clientId: client.body.clientId as string, clientSecret: client.body.clientSecret as string };
  const token = (await requestToken(panel.url, creds)).body.access_token as string;
  assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/audit?limit=1')).status, 200);
  const created = await admin.post('/api/v1/servers', { name: 'Locked', template: 'test-server' });
  assert.equal(created.status, 201, created.text);
  serverId = created.body.server.id;
  const held = spawn('sftp', [...sftpArgs(dir, panel.sftpPort()!, { password: ADMIN.password }), `${ADMIN.username}.${created.body.server.shortId}@127.0.0.1`], { env: askpassEnv(dir, ADMIN.password), stdio: ['pipe', 'ignore', 'ignore'] });
  const sftpExited = new Promise<number>((resolve) => held.on('close', (code) => resolve(code ?? -1)));
  await eventually(() => panel.sftp!.sessions().length === 1, 'the SFTP session to open', 20_000, 100);

  // The lockdown needs the password again.
  const wrong = await admin.post('/api/v1/lockdown', { password: 'not the password', maintenance: true });
  assert.equal(wrong.status, 400);
  assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/audit?limit=1')).status, 200, 'nothing happened');
  assert.equal((await alice.client.get('/api/v1/users/me')).status, 200);
  assert.equal((await alice.client.post('/api/v1/lockdown', { password: alice.password })).status, 403, 'administrators only');

  const done = await admin.post('/api/v1/lockdown', { password: ADMIN.password, passwordReset: 'all', maintenance: true });
  assert.equal(done.status, 200, done.text);
  const steps = Object.fromEntries((done.body.report.steps as Array<{ step: string; count: number }>).map((s) => [s.step, s.count]));
  assert.equal(steps.oauth, 1, 'one live token revoked');
  assert.ok((steps.sessions ?? 0) >= 2, 'the other admin session and alice\'s');
  assert.equal(steps.passwords, 1, 'alice (the caller is left out)');
  assert.equal(steps.maintenance, 1);

  // Old token, old secret, other sessions: refused. The SFTP session ends. The caller's session works.
  assert.equal((await bearer(panel.url, token, 'GET', '/api/v1/audit?limit=1')).status, 401);
  assert.equal((await requestToken(panel.url, creds)).status, 401, 'the old client secret no longer works');
  assert.equal((await otherAdmin.get('/api/v1/users/me')).status, 401);
  assert.equal((await alice.client.get('/api/v1/users/me')).status, 401);
  await eventually(() => panel.sftp!.sessions().length === 0, 'the SFTP session to end', 10_000, 100);
  held.stdin!.end();
  await sftpExited;
  const ended = (await admin.get('/api/v1/audit?type=sftp.session_ended')).body.items as Array<{ details: { reason: string } }>;
  assert.ok(ended.some((e) => e.details.reason === 'lockdown'));
  const me = await admin.get('/api/v1/users/me');
  assert.equal(me.status, 200, 'the caller\'s session stays');
  assert.equal(me.body.user.passwordChangeRequired, false, 'the caller chose the lockdown and keeps their password');
  const state = (await admin.get('/api/v1/lockdown')).body;
  assert.equal(state.maintenance.by, ADMIN.username);
  assert.equal(state.lastReport.steps.length, 5);

  // Maintenance: only administrators sign in; anyone else is refused alike, right password or not.
  for (const pw of [alice.password, 'wrong password']) {
    const refused = await new TestClient(panel.url).login(alice.username, pw);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'maintenance_mode');
  }
  const adminAgain = new TestClient(panel.url);
  assert.equal((await adminAgain.login(ADMIN.username, ADMIN.password)).status, 200);

  // Maintenance off: alice signs in and must choose a new password before anything else.
  assert.equal((await admin.post('/api/v1/lockdown/maintenance', { enabled: false })).body.maintenance, null);
  const a2 = new TestClient(panel.url);
  const signed = await a2.login(alice.username, alice.password);
  assert.equal(signed.status, 200, signed.text);
  assert.equal(signed.body.passwordChangeRequired, true);
  const blocked = await a2.get('/api/v1/audit?limit=1');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.error.code, 'password_change_required');
  assert.equal((await a2.get('/api/v1/auth/session')).body.passwordChangeRequired, true);
  const same = await a2.post('/api/v1/users/me/password', { currentPassword: alice.password, newPassword: alice.password });
  assert.equal(same.status, 400);
  assert.equal(same.body.error.code, 'password_unchanged');
  const changed = await a2.post('/api/v1/users/me/password', { currentPassword: alice.password, newPassword: 'A-Fresh-Password-After-1' });
  assert.equal(changed.status, 200, changed.text);
  a2.csrf = changed.body.csrfToken;
  assert.equal((await a2.get('/api/v1/audit?limit=1')).status, 200, 'free again');

  // The client stays disabled until its owner takes a new secret, which then works.
  const listed = (await admin.get('/api/v1/clients')).body.items as Array<{ id: string; disabled: boolean; lockedDownAt: string | null }>;
  assert.equal(listed[0]!.disabled, true);
  assert.ok(listed[0]!.lockedDownAt);
  const fresh = await admin.post(`/api/v1/clients/${creds.clientId}/secret`, {});
  assert.equal(fresh.status, 200, fresh.text);
  assert.equal((await requestToken(panel.url, { clientId: creds.clientId, clientSecret: fresh.body.clientSecret })).status, 200);

  // From the command line: no session is kept, not even an administrator's.
  const out: string[] = [];
  const code = await main(['lockdown', '--yes', '--password-reset', 'none', '--config', panel.config.configPath], {}, { out: (l) => out.push(l), err: (l) => out.push(l) });
  assert.equal(code, 0, out.join('\n'));
  assert.match(out.join('\n'), /sessions\s+\d+ session\(s\) ended/);
  await eventually(async () => (await admin.get('/api/v1/users/me')).status === 401, 'the caller\'s session to end too', 5_000, 100);
  const events = (await adminAgain.get('/api/v1/audit?type=lockdown.*')).status;
  assert.equal(events, 401, 'every session ended');
  const last = new TestClient(panel.url);
  assert.equal((await last.login(ADMIN.username, ADMIN.password)).status, 200);
  const types = ((await last.get('/api/v1/audit?type=lockdown.*&limit=20')).body.items as Array<{ type: string }>).map((e) => e.type);
  assert.deepEqual(types.filter((x) => x === 'lockdown.completed').length, 2);
});
