// Bans end to end: wrong logins get an address banned by the shipped rule, the ban holds after a restart; the guards that never ban.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { systemCaller } from '../../src/auth/caller.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, createUser, setupAdmin } from '../helpers/fixtures.ts';
import { restartablePanel, startPanel } from '../helpers/panel.ts';

describe('bans', () => {
  test('10 wrong logins from 127.0.0.2 ban it (403 ip_banned) while 127.0.0.1 works; the ban survives a restart', async () => {
    const data = restartablePanel();
    try {
      const first = await data.start();
      const admin = await setupAdmin(first);
      const attacker = new TestClient(first.url, { localAddress: '127.0.0.2' });
      const answers: number[] = [];
      for (let i = 0; i < 10; i += 1) answers.push((await attacker.login(ADMIN.username, `Wrong-Guess-${i}-x`)).status);
      assert.deepEqual([...new Set(answers)].sort(), [401, 429]);
      await first.services.monitor.settled();

      const refused = await attacker.get('/api/v1/setup/status');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'ip_banned');
      assert.equal((await attacker.raw('GET', '/login')).status, 403, 'pages too');
      assert.equal((await admin.get('/api/v1/users/me')).status, 200, '127.0.0.1 still works');

      const [detection] = await first.services.monitor.detections({ limit: 5, rule: 'panel-login-brute-force' });
      assert.equal(detection!.ip, '127.0.0.2');
      assert.equal(detection!.count, 10);
      assert.equal(detection!.evidence.length, 10);
      assert.match(detection!.outcome, /^banned until /);
      const [event] = await first.services.audit.list({ type: 'monitor.ban.created', limit: 5 });
      assert.equal(event!.target?.id, '127.0.0.2');
      assert.equal(event!.details.rule, 'panel-login-brute-force');
      await first.close();

      const second = await data.start();
      try {
        const again = new TestClient(second.url, { localAddress: '127.0.0.2' });
        assert.equal((await again.get('/api/v1/setup/status')).body.error.code, 'ip_banned');
        assert.equal((await new TestClient(second.url).get('/api/v1/setup/status')).status, 200);
        const [ban] = await second.services.bans.list({ activeOnly: true, limit: 5 });
        assert.equal(ban!.ip, '127.0.0.2');
        assert.ok(ban!.hits >= 3, `hits counted: ${ban!.hits}`);
      } finally {
        await second.close();
      }
    } finally {
      data.remove();
    }
  });

  test('an IPv6 ban covers its /64; a repeat ban lasts longer; a lifted ban stops at once; the export file follows', async () => {
    const exportFile = join(mkdtempSync(join(tmpdir(), 'aether-export-')), 'banned.txt');
    const panel = await startPanel({ monitor: { banExportFile: exportFile } });
    try {
      const bans = panel.services.bans;
      const caller = systemCaller('test');
      const growth = { factor: 3, maxMs: 3_600_000 };
      const first = await bans.ban(caller, { ip: '2001:db8:1:2::5', durationMs: 60_000, growth, reason: 'test', rule: 'x', guardAdminSessions: true });
      assert.ok(first.banned);
      assert.equal(first.ban.ip, '2001:db8:1:2::/64');
      assert.equal(bans.isBanned('2001:db8:1:2:ffff::1'), true);
      assert.equal(bans.isBanned('2001:db8:1:3::1'), false);
      assert.equal(readFileSync(exportFile, 'utf8'), '2001:db8:1:2::/64\n');
      const again = await bans.ban(caller, { ip: '2001:db8:1:2::9', durationMs: 60_000, growth, reason: 'test', rule: 'x', guardAdminSessions: true });
      assert.deepEqual([again.banned, again.banned ? '' : again.reason], [false, 'already_banned']);
      await bans.lift(caller, first.ban.id);
      assert.equal(bans.isBanned('2001:db8:1:2::5'), false);
      assert.equal(readFileSync(exportFile, 'utf8'), '');
      const repeat = await bans.ban(caller, { ip: '2001:db8:1:2::5', durationMs: 60_000, growth, reason: 'test', rule: 'x', guardAdminSessions: true });
      assert.ok(repeat.banned);
      assert.equal(Date.parse(repeat.ban.expiresAt!) - Date.parse(repeat.ban.createdAt), 180_000, 'the second ban lasts factor times longer');
    } finally {
      await panel.close();
    }
  });

  test('a ban ends by itself when its time is up, on the panel\'s clock', async () => {
    const clock = createManualClock();
    const panel = await startPanel({}, { clock });
    try {
      const caller = systemCaller('test');
      const res = await panel.services.bans.ban(caller, { ip: '198.51.100.33', durationMs: 60_000, reason: 'test', guardAdminSessions: true });
      assert.ok(res.banned);
      assert.equal(panel.services.bans.isBanned('198.51.100.33'), true);
      clock.advance(59_000);
      assert.equal(panel.services.bans.isBanned('198.51.100.33'), true);
      clock.advance(2_000);
      assert.equal(panel.services.bans.isBanned('198.51.100.33'), false);
      assert.equal((await panel.services.bans.list({ activeOnly: true, limit: 5 })).length, 0);
      const [ended] = await panel.services.bans.list({ activeOnly: false, limit: 5 });
      assert.equal(ended!.active, false);
    } finally {
      await panel.close();
    }
  });

  test('never banned: the admin allowlist, monitor.neverBan, and (for rules) an administrator\'s live session', async () => {
    const panel = await startPanel({ monitor: { neverBan: ['192.0.2.0/24'] } });
    try {
      const admin = await setupAdmin(panel);
      const bans = panel.services.bans;
      const caller = systemCaller('test');
      const req = (ip: string, guardAdminSessions = true) => bans.ban(caller, { ip, durationMs: 60_000, reason: 'test', rule: 'x', guardAdminSessions });
      assert.deepEqual(await req('192.0.2.7'), { banned: false, reason: 'allowlisted' });
      // The admin is signed in from 127.0.0.1.
      assert.deepEqual(await req('127.0.0.1'), { banned: false, reason: 'admin_session' });
      assert.equal((await req('127.0.0.1', false)).banned, true, 'a rule that says so may ban it');
      await bans.lift(caller, (await bans.list({ activeOnly: true, limit: 1 }))[0]!.id);
      await admin.put('/api/v1/settings/allowlist', { cidrs: ['127.0.0.0/8'] });
      assert.deepEqual(await req('127.0.0.9', false), { banned: false, reason: 'allowlisted' });
      const skipped = await panel.services.audit.list({ type: 'monitor.ban.skipped', limit: 10 });
      assert.deepEqual(skipped.map((e) => e.details.reason).sort(), ['admin_session', 'allowlisted', 'allowlisted']);
    } finally {
      await panel.close();
    }
  });

  test('the API: manual ban and lift (audited), lists of bans, detections and rules; reading needs monitor.view, banning monitor.edit', async () => {
    const panel = await startPanel();
    try {
      const admin = await setupAdmin(panel);
      const auditor = await createUser(panel, admin, ['auditor']);
      const visitor = new TestClient(panel.url, { localAddress: '127.0.0.3' });
      assert.equal((await visitor.get('/api/v1/setup/status')).status, 200);

      assert.equal((await admin.post('/api/v1/monitor/bans', { ip: '127.0.0.1', reason: 'oops' })).body.error.code, 'own_address');
      assert.equal((await admin.post('/api/v1/monitor/bans', { ip: 'not-an-ip', reason: 'x' })).body.error.code, 'invalid_ip');
      assert.equal((await auditor.client.post('/api/v1/monitor/bans', { ip: '127.0.0.3', reason: 'x' })).status, 403);
      const created = await admin.post('/api/v1/monitor/bans', { ip: '127.0.0.3', reason: 'scanning us', durationMinutes: 30 });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.ban.source, 'manual');
      assert.equal(created.body.ban.createdBy, ADMIN.username);
      assert.equal((await admin.post('/api/v1/monitor/bans', { ip: '127.0.0.3', reason: 'again' })).body.error.code, 'already_banned');
      assert.equal((await visitor.get('/api/v1/setup/status')).body.error.code, 'ip_banned');

      const listed = await auditor.client.get('/api/v1/monitor/bans?active=true');
      assert.equal(listed.status, 200);
      assert.equal(listed.body.items[0].ip, '127.0.0.3');
      assert.ok(listed.body.items[0].hits >= 1);
      const lifted = await admin.json('DELETE', `/api/v1/monitor/bans/${created.body.ban.id}`);
      assert.equal(lifted.body.ban.active, false);
      assert.equal((await visitor.get('/api/v1/setup/status')).status, 200);
      assert.equal((await admin.json('DELETE', `/api/v1/monitor/bans/${created.body.ban.id}`)).body.error.code, 'ban_not_active');
      assert.equal((await admin.json('DELETE', '/api/v1/monitor/bans/99999')).status, 404);
      assert.deepEqual((await panel.services.audit.list({ type: 'monitor.ban.*', limit: 10 })).map((e) => e.type).sort(), ['monitor.ban.created', 'monitor.ban.lifted']);

      const rules = (await auditor.client.get('/api/v1/monitor/rules')).body.items as Array<{ id: string; file: string; detections: number }>;
      assert.ok(rules.some((r) => r.id === 'panel-login-brute-force' && r.file === 'panel.yml'));
      assert.ok(rules.some((r) => r.id === 'sshd-brute-force'));
      const detections = await auditor.client.get('/api/v1/monitor/detections?limit=5');
      assert.equal(detections.status, 200);
      assert.ok(Array.isArray(detections.body.items));
      assert.equal((await new TestClient(panel.url).get('/api/v1/monitor/detections')).status, 401);

      // The addresses a user signed in from.
      await new TestClient(panel.url, { localAddress: '127.0.0.4' }).login(ADMIN.username, ADMIN.password);
      const me = (await admin.get('/api/v1/users/me')).body.user.id as string;
      const known = (await auditor.client.get(`/api/v1/monitor/known-ips/${me}`)).body.items as Array<{ ip: string; logins: number }>;
      assert.deepEqual(known.map((k) => [k.ip, k.logins]).sort(), [['127.0.0.1', 1], ['127.0.0.4', 1]]);
      assert.equal((await auditor.client.get('/api/v1/monitor/known-ips/00000000-0000-0000-0000-000000000000')).status, 404);
    } finally {
      await panel.close();
    }
  });
});
