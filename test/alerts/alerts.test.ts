// The alert inbox end to end on a real panel: detections become deduplicated alerts, a real SMTP server and a real
// webhook receiver get the notifications, responders work alerts through the API, and the outbox survives restarts.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ADMIN, createUser, panelWithAdmin, setupAdmin } from '../helpers/fixtures.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually, freePort, startHookReceiver, startMailServer, type MailServer } from '../helpers/mail-server.ts';
import { restartablePanel, type TestPanel } from '../helpers/panel.ts';
import type { RaiseAlert } from '../../src/alerts/index.ts';

/** Quick retries so the outbox tests do not wait minutes. */
const FAST_OUTBOX = { retryBaseSeconds: 0.1, retryMaxSeconds: 0.5, pollSeconds: 0.1, sendTimeoutSeconds: 5 };

const emailChannel = (port: number, extra: Record<string, unknown> = {}) => ({
  type: 'email',
  name: `mail-${port}-${Math.random().toString(36).slice(2, 7)}`,
  config: { host: '127.0.0.1', port, secure: false, starttls: 'off', from: 'panel@example.test', to: ['oncall@example.test'] },
  ...extra,
});

const raiseInput = (n: number, extra: Partial<RaiseAlert> = {}): RaiseAlert => ({
  source: 'security',
  severity: 'high',
  dedupKey: `test:${n}`,
  title: `Test alert ${n}`,
  summary: `Something happened (${n}).`,
  ip: `203.0.113.${n % 250}`,
  ...extra,
});

describe('alerts', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let mail: MailServer;

  before(async () => {
    mail = await startMailServer();
    ({ panel, admin } = await panelWithAdmin({ alerts: FAST_OUTBOX }));
  });
  after(async () => {
    await panel.close();
    await mail.close();
  });

  test('ten wrong logins from 127.0.0.2 raise one high alert with its evidence; the mail names the address', async () => {
    const channel = await admin.post('/api/v1/alerts/channels', emailChannel(mail.port));
    assert.equal(channel.status, 201, channel.text);
    const attacker = new TestClient(panel.url, { localAddress: '127.0.0.2' });
    for (let i = 0; i < 12; i += 1) await attacker.login(ADMIN.username, `Wrong-${i}-Password`);
    await panel.services.monitor.settled();

    const list = await admin.get('/api/v1/alerts?status=open&source=security');
    assert.equal(list.status, 200, list.text);
    const alert = list.body.items.find((a: { title: string }) => a.title === 'Panel login brute force: 127.0.0.2');
    assert.ok(alert, JSON.stringify(list.body.items.map((a: { title: string }) => a.title)));
    assert.equal(alert.severity, 'high');
    assert.equal(alert.ip, '127.0.0.2');
    assert.equal(list.body.counts.open >= 1, true);

    const detail = await admin.get(`/api/v1/alerts/${alert.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body.timeline[0].kind, 'created');
    assert.equal(detail.body.detections.length, 1);
    assert.equal(detail.body.detections[0].rule, 'panel-login-brute-force');
    assert.match(detail.body.detections[0].outcome, /banned until/);
    const evidence = detail.body.detections[0].evidence as Array<{ event: string; ip: string; http: { path: string; status: number } }>;
    assert.ok(evidence.length >= 10);
    assert.ok(evidence.every((e) => e.event === 'http.request' && e.ip === '127.0.0.2' && e.http.path === '/api/v1/auth/login'));
    const failures = detail.body.related.auditEvents.filter((e: { type: string; ip: string }) => e.type === 'auth.login.failure' && e.ip === '127.0.0.2');
    // Five wrong passwords, then the per-account limit answers 429 (audited once): all related activity of the address.
    assert.equal(failures.length, 5);
    assert.ok(detail.body.related.auditEvents.some((e: { type: string; ip: string }) => e.type === 'auth.rate_limited' && e.ip === '127.0.0.2'));

    await panel.services.outbox.flush();
    await eventually(() => mail.mails.some((m) => m.subject.includes('127.0.0.2')), 'the alert mail');
    const m = mail.mails.find((x) => x.subject.includes('127.0.0.2'))!;
    assert.equal(m.subject, '[Aether] [HIGH] Panel login brute force: 127.0.0.2');
    assert.deepEqual(m.to, ['oncall@example.test']);
    assert.match(m.text, /Address: 127\.0\.0\.2/);
    assert.match(m.text, /Rule panel-login-brute-force \(threshold\) fired for 127\.0\.0\.2/);
    const deliveries = (await admin.get(`/api/v1/alerts/${alert.id}`)).body.deliveries;
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].status, 'delivered');
    assert.equal(deliveries[0].attempts, 1);
    await admin.del(`/api/v1/alerts/channels/${channel.body.channel.id}`);
  });

  test('repeats of an unresolved alert count instead of adding alerts; after resolving, a repeat is a new alert', async () => {
    const a = await panel.services.alerts.raise(raiseInput(1, { dedupKey: 'dedup:one' }));
    const b = await panel.services.alerts.raise(raiseInput(1, { dedupKey: 'dedup:one', severity: 'critical' }));
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(b.alert.id, a.alert.id);
    assert.equal(b.alert.count, 2);
    assert.equal(b.alert.severity, 'critical', 'a worse repeat raises the severity');
    const ack = await admin.post(`/api/v1/alerts/${a.alert.id}/ack`, { note: 'looking' });
    assert.equal(ack.status, 200, ack.text);
    const c = await panel.services.alerts.raise(raiseInput(1, { dedupKey: 'dedup:one' }));
    assert.equal(c.alert.id, a.alert.id, 'an acknowledged alert still counts repeats');
    assert.equal(c.alert.count, 3);
    assert.equal((await admin.post(`/api/v1/alerts/${a.alert.id}/resolve`, { note: 'fixed' })).status, 200);
    const d = await panel.services.alerts.raise(raiseInput(1, { dedupKey: 'dedup:one' }));
    assert.equal(d.created, true);
    assert.notEqual(d.alert.id, a.alert.id);
    const reopen = await admin.post(`/api/v1/alerts/${a.alert.id}/reopen`, {});
    assert.equal(reopen.status, 409);
    assert.equal(reopen.body.error.code, 'newer_alert_open');
    const timeline = (await admin.get(`/api/v1/alerts/${a.alert.id}`)).body.timeline.map((e: { kind: string; text: string }) => `${e.kind}:${e.text}`);
    assert.deepEqual(timeline, ['created:Raised: Something happened (1).', 'escalated:Severity raised from high to critical.', 'acknowledged:Acknowledged: looking', 'resolved:Resolved: fixed']);
  });

  test('filters, sorting and bulk acknowledge and resolve', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await panel.services.alerts.raise(raiseInput(100 + i, { severity: i < 2 ? 'low' : 'medium', source: 'system' }))).alert.id);
    const low = await admin.get('/api/v1/alerts?source=system&severity=low');
    assert.deepEqual(low.body.items.map((a: { id: number }) => a.id).sort(), ids.slice(0, 2).sort());
    const bySeverity = await admin.get('/api/v1/alerts?source=system&sort=severity&order=desc');
    assert.deepEqual(bySeverity.body.items.map((a: { severity: string }) => a.severity), ['medium', 'medium', 'medium', 'low', 'low']);
    const text = await admin.get(`/api/v1/alerts?q=${encodeURIComponent('alert 102')}`);
    assert.deepEqual(text.body.items.map((a: { id: number }) => a.id), [ids[2]]);
    const bulk = await admin.post('/api/v1/alerts/bulk', { ids: [...ids, 999_999], action: 'resolve', note: 'batch' });
    assert.equal(bulk.status, 200, bulk.text);
    assert.deepEqual(bulk.body.changed, ids);
    assert.deepEqual(bulk.body.missing, [999_999]);
    const resolved = await admin.get('/api/v1/alerts?source=system&status=resolved');
    assert.equal(resolved.body.total, 5);
    const bad = await admin.get('/api/v1/alerts?status=bogus');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.equal((await admin.get('/api/v1/alerts/abc')).status, 400);
    assert.equal((await admin.get('/api/v1/alerts/424242')).status, 404);
  });

  test('one-click responses: ban the address, disable the user, revoke sessions; each on the timeline and audited', async () => {
    const { client: victim, username } = await createUser(panel, admin, ['operator']);
    const { alert } = await panel.services.alerts.raise(raiseInput(7, { dedupKey: 'respond:1', ip: '198.51.100.23', user: username }));

    const ban = await admin.post(`/api/v1/alerts/${alert.id}/respond`, { action: 'ban_ip', durationMinutes: 30 });
    assert.equal(ban.status, 200, ban.text);
    assert.match(ban.body.text, /^Banned 198\.51\.100\.23 until /);
    assert.equal(panel.services.bans.isBanned('198.51.100.23'), true);
    const again = await admin.post(`/api/v1/alerts/${alert.id}/respond`, { action: 'ban_ip' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'already_banned');

    const revoke = await admin.post(`/api/v1/alerts/${alert.id}/respond`, { action: 'revoke_user_access' });
    assert.equal(revoke.status, 200, revoke.text);
    assert.match(revoke.body.text, /^Ended 1 session of .* and revoked 0 API tokens\.$/);
    assert.equal((await victim.get('/api/v1/users/me')).status, 401, 'the user was signed out');

    const disable = await admin.post(`/api/v1/alerts/${alert.id}/respond`, { action: 'disable_user' });
    assert.equal(disable.status, 200, disable.text);
    const user = (await admin.get('/api/v1/users')).body.items.find((u: { username: string }) => u.username === username);
    assert.equal(user.disabled, true);

    const detail = await admin.get(`/api/v1/alerts/${alert.id}`);
    const actions = detail.body.timeline.filter((e: { kind: string }) => e.kind === 'action');
    assert.equal(actions.length, 3);
    assert.ok(actions.every((e: { actor: { name: string } }) => e.actor.name === ADMIN.username));
    const audit = await admin.get('/api/v1/audit?limit=50');
    const types = audit.body.items.map((e: { type: string }) => e.type);
    for (const t of ['monitor.ban.created', 'auth.session.revoked_all', 'user.disabled']) assert.ok(types.includes(t), t);

    const { alert: anon } = await panel.services.alerts.raise(raiseInput(8, { dedupKey: 'respond:2', ip: null, user: 'no-such-account' }));
    const noIp = await admin.post(`/api/v1/alerts/${anon.id}/respond`, { action: 'ban_ip' });
    assert.equal(noIp.body.error.code, 'no_ip');
    const unknown = await admin.post(`/api/v1/alerts/${anon.id}/respond`, { action: 'disable_user' });
    assert.equal(unknown.status, 409);
    assert.equal(unknown.body.error.code, 'unknown_user');
    const own = await panel.services.alerts.raise(raiseInput(9, { dedupKey: 'respond:3', ip: '127.0.0.1' }));
    const self = await admin.post(`/api/v1/alerts/${own.alert.id}/respond`, { action: 'ban_ip' });
    assert.equal(self.body.error.code, 'own_address');
  });

  test('scopes: alerts.view reads, alerts.manage acts, a response needs its own scope too', async () => {
    const { alert } = await panel.services.alerts.raise(raiseInput(20, { dedupKey: 'scopes:1', ip: '198.51.100.99' }));
    const { client: auditor } = await createUser(panel, admin, ['auditor']);
    assert.equal((await auditor.get(`/api/v1/alerts/${alert.id}`)).status, 200);
    const ack = await auditor.post(`/api/v1/alerts/${alert.id}/ack`, {});
    assert.equal(ack.status, 403);
    const role = await admin.post('/api/v1/roles', { name: `responder-${Date.now()}`, description: 'alerts only', scopes: ['alerts.view', 'alerts.manage'] });
    assert.equal(role.status, 201, role.text);
    const { client: responder } = await createUser(panel, admin, [role.body.role.name]);
    assert.equal((await responder.post(`/api/v1/alerts/${alert.id}/ack`, {})).status, 200);
    const ban = await responder.post(`/api/v1/alerts/${alert.id}/respond`, { action: 'ban_ip' });
    assert.equal(ban.status, 403);
    assert.match(ban.body.error.message, /monitor\.edit/);
    assert.equal(panel.services.bans.isBanned('198.51.100.99'), false);
    const priv = await responder.post('/api/v1/alerts/channels', { type: 'webhook', name: 'inside', config: { url: 'http://127.0.0.1:9/x', secret: 'a'.repeat(32) }, allowPrivateNetwork: true });
    assert.equal(priv.status, 403, 'only an administrator lets a channel reach private addresses');
  });

  test('webhook: signed JSON to a real receiver; channel secrets are never shown nor stored in clear', async () => {
    const hook = await startHookReceiver();
    try {
      const secret = 'whsec-Very-Secret-Value-1234567890';
      const created = await admin.post('/api/v1/alerts/channels', { type: 'webhook', name: 'hook', config: { url: hook.url, secret }, allowPrivateNetwork: true, minSeverity: 'high' });
      assert.equal(created.status, 201, created.text);
      assert.ok(!created.text.includes(secret));
      assert.ok(!(await admin.get('/api/v1/alerts/channels')).text.includes(secret));
      const stored = JSON.stringify(await panel.db('alert_channels').select('*'));
      assert.ok(!stored.includes(secret), 'the secret is encrypted at rest');

      await panel.services.alerts.raise(raiseInput(30, { dedupKey: 'hook:medium', severity: 'medium' }));
      const { alert } = await panel.services.alerts.raise(raiseInput(31, { dedupKey: 'hook:high', severity: 'high' }));
      await panel.services.outbox.flush();
      await eventually(() => hook.hooks.length >= 1, 'the webhook');
      assert.equal(hook.hooks.length, 1, 'a medium alert does not reach a channel set to high');
      const got = hook.hooks[0]!;
      const expected = `sha256=${createHmac('sha256', secret).update(got.body).digest('hex')}`;
      assert.equal(got.headers['x-aether-signature'], expected);
      const body = JSON.parse(got.body);
      assert.equal(body.kind, 'alert');
      assert.equal(body.alerts[0].id, alert.id);
      assert.equal(got.headers['x-aether-delivery'], body.id);

      const test = await admin.post(`/api/v1/alerts/channels/${created.body.channel.id}/test`, {});
      assert.deepEqual(test.body, { delivered: true, error: null });
      assert.equal(JSON.parse(hook.hooks[1]!.body).kind, 'test');
    } finally {
      await hook.close();
    }
  });

  test('SSRF guard: loopback, 10.0.0.0/8 and localhost targets are refused by default', async () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://10.1.2.3/x', 'http://localhost:8080/x', 'http://[::1]/x', 'http://169.254.169.254/latest']) {
      const res = await admin.post('/api/v1/alerts/channels', { type: 'webhook', name: `ssrf-${Math.random()}`, config: { url, secret: 'x'.repeat(32) } });
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.equal(res.body.error.code, 'private_target', url);
    }
    // A name that resolves to loopback passes the form check but is refused when sending, before any connection.
    const hook = await startHookReceiver();
    try {
      const port = new URL(hook.url).port;
      const res = await admin.post('/api/v1/alerts/channels', { type: 'webhook', name: 'via-dns', config: { url: `http://localhost.:${port}/hook`, secret: 'y'.repeat(32) } });
      if (res.status === 201) {
        const t = await admin.post(`/api/v1/alerts/channels/${res.body.channel.id}/test`, {});
        assert.equal(t.body.delivered, false);
        assert.match(t.body.error, /loopback|localhost/);
      } else assert.equal(res.body.error.code, 'private_target');
      assert.equal(hook.hooks.length, 0);
    } finally {
      await hook.close();
    }
  });

  test('send on resolve reaches only the channels that ask for it; low alerts are not sent by default', async () => {
    const own = await startMailServer();
    try {
      const ch = await admin.post('/api/v1/alerts/channels', emailChannel(own.port, { sendOnResolve: true }));
      assert.equal(ch.status, 201, ch.text);
      await panel.services.alerts.raise(raiseInput(40, { dedupKey: 'resolve:low', severity: 'low' }));
      const { alert } = await panel.services.alerts.raise(raiseInput(41, { dedupKey: 'resolve:1', severity: 'medium' }));
      await panel.services.outbox.flush();
      await eventually(() => own.mails.length >= 1, 'the alert mail');
      await admin.post(`/api/v1/alerts/${alert.id}/resolve`, { note: 'false positive' });
      await panel.services.outbox.flush();
      await eventually(() => own.mails.length >= 2, 'the resolution mail');
      assert.deepEqual(own.mails.map((m) => m.subject), ['[Aether] [MEDIUM] Test alert 41', '[Aether] [RESOLVED] Test alert 41']);
      assert.match(own.mails[1]!.text, /Resolution: false positive/);
      await admin.del(`/api/v1/alerts/channels/${ch.body.channel.id}`);
    } finally {
      await own.close();
    }
  });

  test('a storm of 1,000 detections in a minute gives a few messages and one digest, not 1,000 messages', async () => {
    const own = await startMailServer();
    try {
      // A window long enough for the whole storm to be raised in it, on any database engine: 5 messages, then one
      // digest when the window ends.
      const ch = await admin.post('/api/v1/alerts/channels', emailChannel(own.port, { rateLimit: { max: 5, windowSeconds: 15 } }));
      assert.equal(ch.status, 201, ch.text);
      const start = Date.now();
      for (let i = 0; i < 1000; i += 1) {
        panel.services.monitor.feed({ ts: start + i, source: 'panel', event: 'auth.2fa.recovery_used', ip: `10.9.${i >> 8}.${i & 255}`, user: `user${i}`, service: 'panel', http: null, fields: { outcome: 'success' } });
      }
      await panel.services.monitor.settled();
      const stormAlerts = await admin.get('/api/v1/alerts?q=Recovery%20code%20used&limit=1');
      assert.equal(stormAlerts.body.total, 1000, 'every detection is an alert in the inbox');
      await panel.services.outbox.flush();
      await eventually(() => own.mails.length >= 5, 'the first messages');
      await eventually(
        async () => {
          await panel.services.outbox.flush();
          return own.mails.length >= 6;
        },
        'the digest',
        40_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      await panel.services.outbox.flush();
      assert.equal(own.mails.length, 6, own.mails.map((m) => m.subject).join('\n'));
      const digest = own.mails[5]!;
      assert.match(digest.subject, /^\[Aether\] \[DIGEST (HIGH|MEDIUM|CRITICAL|LOW)\] 995 alerts$/);
      assert.match(digest.text, /and 945 more/);
      await admin.del(`/api/v1/alerts/channels/${ch.body.channel.id}`);
    } finally {
      await own.close();
    }
  });

  test('a live stream tells the inbox about new and changed alerts', async () => {
    const events: string[] = [];
    const req = request(new URL('/api/v1/alerts/stream', panel.url), { headers: { Cookie: admin.cookieHeader() } });
    const opened = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/event-stream/);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          events.push(chunk);
          if (chunk.includes('event: ready')) resolve();
        });
      });
      req.on('error', reject);
    });
    req.end();
    try {
      await opened;
      const { alert } = await panel.services.alerts.raise(raiseInput(50, { dedupKey: 'stream:1' }));
      await eventually(() => events.join('').includes(`"id":${alert.id}`), 'the created event');
      await admin.post(`/api/v1/alerts/${alert.id}/ack`, {});
      await eventually(() => events.join('').includes('"status":"acknowledged"'), 'the updated event');
      const created = events.join('').split('\n\n').find((e) => e.includes(`"id":${alert.id}`))!;
      assert.match(created, /^event: alert\ndata: \{"type":"created"/);
    } finally {
      req.destroy();
    }
    const outsider = new TestClient(panel.url);
    assert.equal((await outsider.get('/api/v1/alerts/stream')).status, 401);
  });

  test('a server crash recorded in the audit trail is an alert; a second crash counts on it', async () => {
    const crash = { type: 'server.crashed', actor: { type: 'system' as const, name: 'servers' }, target: { type: 'server', id: 'srv-1', name: 'survival' }, outcome: 'failure' as const, details: { exitCode: 137, reason: 'OOM-killed' } };
    await panel.services.audit.record(crash);
    await panel.services.audit.record(crash);
    await eventually(async () => (await admin.get('/api/v1/alerts?source=servers')).body.items[0]?.count === 2, 'the crash alert');
    const [alert] = (await admin.get('/api/v1/alerts?source=servers')).body.items;
    assert.equal(alert.title, 'Server survival crashed: OOM-killed');
    assert.equal(alert.severity, 'high');
    const detail = await admin.get(`/api/v1/alerts/${alert.id}`);
    assert.equal(detail.body.auditEvents[0].type, 'server.crashed');
    assert.match(detail.body.alert.summary, /exitCode: 137/);
  });

  test('resolved alerts older than the retention are purged; open ones stay whatever their age', async () => {
    const open = await panel.services.alerts.raise(raiseInput(60, { dedupKey: 'purge:open' }));
    const done = await panel.services.alerts.raise(raiseInput(61, { dedupKey: 'purge:done' }));
    await admin.post(`/api/v1/alerts/${done.alert.id}/resolve`, {});
    await new Promise((r) => setTimeout(r, 20));
    const removed = await panel.services.alerts.purge(10);
    assert.ok(removed >= 1);
    assert.equal((await admin.get(`/api/v1/alerts/${done.alert.id}`)).status, 404);
    assert.equal((await admin.get(`/api/v1/alerts/${open.alert.id}`)).status, 200);
  });

  test('channel input errors are 4xx with a code', async () => {
    const unknown = await admin.post('/api/v1/alerts/channels', { type: 'pager', name: 'x', config: {} });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'unknown_channel_type');
    const bad = await admin.post('/api/v1/alerts/channels', { type: 'email', name: 'x', config: { host: 'mail.example.test', port: 99999, from: 'a\r\nBcc: x@y', to: [] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_config');
    const first = await admin.post('/api/v1/alerts/channels', emailChannel(2525, { name: 'Same Name' }));
    assert.equal(first.status, 201);
    const dup = await admin.post('/api/v1/alerts/channels', emailChannel(2525, { name: 'same name' }));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'name_taken');
    assert.equal((await admin.patch(`/api/v1/alerts/channels/${first.body.channel.id}`, { rateLimit: { max: 0, windowSeconds: 10 } })).status, 400);
    const renamed = await admin.patch(`/api/v1/alerts/channels/${first.body.channel.id}`, { name: 'Renamed', enabled: false });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.channel.enabled, false);
    assert.equal((await admin.del(`/api/v1/alerts/channels/${first.body.channel.id}`)).status, 204);
    assert.equal((await admin.get(`/api/v1/alerts/channels/${first.body.channel.id}`)).status, 404);
  });
});

describe('alert outbox', () => {
  test('with the mail server down, 50 alerts wait; after a panel restart the server comes back and gets each exactly once', async () => {
    const port = await freePort();
    const data = restartablePanel({ alerts: FAST_OUTBOX });
    let panel = await data.start();
    let mail: MailServer | null = null;
    try {
      const admin = await setupAdmin(panel);
      const ch = await admin.post('/api/v1/alerts/channels', emailChannel(port, { rateLimit: { max: 100, windowSeconds: 600 } }));
      assert.equal(ch.status, 201, ch.text);
      for (let i = 0; i < 50; i += 1) await panel.services.alerts.raise(raiseInput(i, { dedupKey: `outbox:${i}` }));
      // Several attempts fail against the closed port.
      await eventually(async () => {
        await panel.services.outbox.flush();
        const rows = (await panel.db('notifications').where('attempts', '>=', 5)) as unknown[];
        return rows.length === 50;
      }, 'failed attempts');
      const pending = (await panel.db('notifications').where({ status: 'pending', channel_id: ch.body.channel.id })) as Array<{ last_error: string }>;
      assert.equal(pending.length, 51, 'the 50 alerts, and the alert that the channel is failing');
      assert.ok(pending.every((r) => r.last_error.length > 0));
      // The failing channel is an alert of its own (one, however many notifications fail).
      const trouble = await admin.get('/api/v1/alerts?source=system&status=open');
      assert.equal(trouble.body.total, 1, trouble.text);
      assert.match(trouble.body.items[0].title, /^Notifications to the channel "mail-.*" are failing$/);
      await panel.close();

      panel = await data.start();
      mail = await startMailServer(port);
      await eventually(() => mail!.mails.length >= 51, 'all 51 mails');
      await new Promise((r) => setTimeout(r, 500));
      await panel.services.outbox.flush();
      assert.equal(mail.mails.length, 51);
      const tests = mail.mails.filter((m) => /Test alert \d+$/.test(m.subject));
      assert.equal(tests.length, 50);
      assert.equal(new Set(tests.map((m) => m.subject)).size, 50, 'each alert exactly once');
      assert.equal(new Set(mail.mails.map((m) => m.messageId)).size, 51);
      assert.equal(mail.mails.filter((m) => /are failing$/.test(m.subject)).length, 1);
      const delivered = (await panel.db('notifications').where({ status: 'delivered', channel_id: ch.body.channel.id })) as unknown[];
      assert.equal(delivered.length, 51);
      // The channel's trouble alert was resolved by the first delivery (and its own mail went out too).
      const after = (await panel.db('alerts').where({ source: 'system' })) as Array<{ status: string }>;
      assert.deepEqual(after.map((a) => a.status), ['resolved']);
    } finally {
      await panel.close();
      await mail?.close();
      data.remove();
    }
  });

  test('a notification that cannot be delivered in time expires, and the alert shows it', async () => {
    const data = restartablePanel({ alerts: { ...FAST_OUTBOX, expireHours: 0.0003 } });
    const panel = await data.start();
    try {
      const admin = await setupAdmin(panel);
      const ch = await admin.post('/api/v1/alerts/channels', emailChannel(await freePort()));
      assert.equal(ch.status, 201);
      const { alert } = await panel.services.alerts.raise(raiseInput(1, { dedupKey: 'expire:1' }));
      await eventually(async () => {
        await panel.services.outbox.flush();
        const d = (await admin.get(`/api/v1/alerts/${alert.id}`)).body.deliveries;
        return d.length === 1 && d[0].status === 'expired';
      }, 'expiry');
      const channel = (await admin.get(`/api/v1/alerts/channels/${ch.body.channel.id}`)).body.channel;
      assert.ok(channel.lastError);
      assert.ok(channel.lastFailedAt);
    } finally {
      await panel.close();
      data.remove();
    }
  });
});
