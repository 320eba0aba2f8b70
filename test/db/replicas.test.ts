// Two panels on one MariaDB or PostgreSQL database, as two replicas behind one proxy: a session made on one works on
// the other, so does an OAuth2 token (and its revocation), and 1,000 audit events written at once through both verify
// as one chain, none lost and none forked. With one Redis, their failed-login counters are one: a guesser split
// between them is blocked on both. Polling one outbox, they send each notification once. A node both check that stops
// answering is one event and one alert.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { verifyAuditChain } from '../../src/audit/index.ts';
import { TestClient } from '../helpers/client.ts';
import { cleanups } from '../helpers/cleanup.ts';
import { createTestDatabase, needsEngine, SERVER_ENGINES, type ServerEngine } from '../helpers/databases.ts';
import { engineLink, needsDocker } from '../helpers/docker.ts';
import { ADMIN, setupAdmin } from '../helpers/fixtures.ts';
import { bearer, oauthPost, requestToken } from '../helpers/oauth.ts';
import { needs } from '../helpers/require-component.ts';
import { eventually, startMailServer } from '../helpers/mail-server.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

/**
 * Two replicas on one throwaway database of `engine`, sharing the data directory (its keys sign cookies, CSRF tokens
 * and OAuth2 tokens), each with its own logs; stopped before the database is dropped.
 */
async function twoReplicas(t: TestContext, engine: ServerEngine, overrides: Record<string, unknown> = {}): Promise<[TestPanel, TestPanel]> {
  const defer = cleanups(t);
  const database = await createTestDatabase(engine);
  defer(() => database.drop());
  const shared = mkdtempSync(join(tmpdir(), 'aether-replicas-'));
  defer(() => rmSync(shared, { recursive: true, force: true }));
  const replica = (name: string) => startPanel({ database: database.config, dataDir: join(shared, 'data'), logDir: join(shared, `logs-${name}`), ...overrides });
  const a = await replica('a');
  defer(() => a.close());
  const b = await replica('b');
  defer(() => b.close());
  return [a, b];
}

for (const engine of SERVER_ENGINES) {
  test(`two replicas on one ${engine} database: shared sessions, one audit chain`, { timeout: 180_000 }, async (t) => {
    if (!needsEngine(t, engine)) return;
    const [a, b] = await twoReplicas(t, engine);

    // Signed in on one replica, the session cookie works on the other (the proxy may send any request anywhere).
    const onA = await setupAdmin(a);
    const me = await onA.get('/api/v1/users/me');
    assert.equal(me.status, 200);
    const cookie = onA.cookieHeader();
    const onB = await fetch(`${b.url}/api/v1/users/me`, { headers: { Cookie: cookie } });
    assert.equal(onB.status, 200);
    assert.equal(((await onB.json()) as { user: { username: string } }).user.username, ADMIN.username);
    // A change made through B (with A's CSRF token) is seen on A; signing out on B ends the session on A too.
    const viaB = await fetch(`${b.url}/api/v1/auth/logout`, { method: 'POST', headers: { Cookie: cookie, 'X-CSRF-Token': onA.csrf!, Origin: b.url } });
    assert.equal(viaB.status, 204, await viaB.text());
    // Each replica keeps a session it read for a second at most (sessions.service.ts): then A sees it is gone.
    await eventually(async () => (await onA.get('/api/v1/users/me')).status === 401, 'the session ended on the other replica', 10_000);
    const admin = new TestClient(a.url);
    assert.equal((await admin.login(ADMIN.username, ADMIN.password)).status, 200);

    // A console ticket asked of A opens the socket on B, once (the proxy may send the two requests apart).
    const userId = (await admin.get('/api/v1/users/me')).body.user.id as string;
    const ticket = await a.services.consoleTickets.issue({ userId, serverId: 'some-server', ip: '127.0.0.1' });
    assert.deepEqual(await b.services.consoleTickets.take(ticket.ticket), { userId, serverId: 'some-server', ip: '127.0.0.1', expiresAt: ticket.expiresAt });
    assert.equal(await a.services.consoleTickets.take(ticket.ticket), null, 'used once, on any replica');

    // An OAuth2 client made on A gets a token from B that works on A; revoked through B, it stops working on A (each
    // replica keeps a token it read for a second at most).
    const made = await admin.post('/api/v1/clients', { name: 'replicated', scopes: ['users.view'] });
    assert.equal(made.status, 201, made.text);
    const creds = { clientId: made.body.clientId as string, clientSecret: made.body.clientSecret as string };
    const issued = await requestToken(b.url, creds);
    assert.equal(issued.status, 200, issued.text);
    const token = issued.body.access_token as string;
    assert.equal((await bearer(a.url, token, 'GET', '/api/v1/users')).status, 200);
    assert.equal((await oauthPost(b.url, '/token/revocation', creds, { token })).status, 200);
    await eventually(async () => (await bearer(a.url, token, 'GET', '/api/v1/users')).status === 401, 'the token refused on the other replica', 10_000);
    assert.deepEqual((await oauthPost(a.url, '/token/introspection', creds, { token })).body, { active: false });

    // 1,000 events at once, half through each replica's audit service.
    const before = (await verifyAuditChain(a.db)).count;
    const writes = [];
    for (let i = 0; i < 1000; i += 1) {
      const panel = i % 2 === 0 ? a : b;
      writes.push(panel.services.audit.record({ type: 'test.replica', actor: { type: 'system', id: null, name: `replica-${i % 2}` }, ip: null, userAgent: null, target: null, outcome: 'success', details: { i } }));
    }
    const events = await Promise.all(writes);
    assert.equal(new Set(events.map((e) => e.id)).size, 1000, 'every event got an id of its own');
    const chain = await verifyAuditChain(a.db);
    assert.equal(chain.ok, true, `chain: ${JSON.stringify(chain)}`);
    assert.equal(chain.count, before + 1000, 'nothing lost');
    const rows = (await a.db('audit_events').where({ type: 'test.replica' }).count({ n: '*' }).first()) as { n: number | string };
    assert.equal(Number(rows.n), 1000);
  });
}

test('two replicas with one Redis: failed logins counted together, alerts heard live and bans in force on both', { timeout: 120_000 }, async (t) => {
  const url = process.env.AETHER_TEST_REDIS_URL;
  if (!needs(t, 'Redis', Boolean(url), 'server not given: AETHER_TEST_REDIS_URL is unset (eval "$(scripts/test-databases.sh)" as root starts Debian\'s redis-server)')) return;
  const engine = SERVER_ENGINES[0]!;
  if (!needsEngine(t, engine)) return;
  const defer = cleanups(t);
  // A key prefix of this test's own in the shared Redis.
  const redis = { url, keyPrefix: `aether-test-${randomBytes(4).toString('hex')}` };
  const rateLimits = { loginPerIpAccount: { points: 4, durationSeconds: 900, blockSeconds: 60 } };
  const [a, b] = await twoReplicas(t, engine, { redis, rateLimits });
  await setupAdmin(a);

  // Four wrong passwords for one account from one address, split between the replicas: the limit is 4 in all, not 4
  // on each. The next attempt is refused on both, even with the right password.
  const attempt = (panel: typeof a, password: string) => new TestClient(panel.url).login(ADMIN.username, password);
  for (const [panel, i] of [[a, 1], [b, 2], [a, 3], [b, 4]] as const) assert.equal((await attempt(panel, `Wrong-Guess-${i}x`)).status, 401);
  const onB = await attempt(b, 'Wrong-Guess-5x');
  assert.equal(onB.status, 429, onB.text);
  const onA = await attempt(a, ADMIN.password);
  assert.equal(onA.status, 429, 'the block B set holds on A');
  assert.ok(Number(onA.headers['retry-after']) > 0);

  // An inbox open on B hears of an alert raised on A and of its acknowledgement there, as they happen.
  const admin = new TestClient(a.url, { localAddress: '127.0.0.3' });
  assert.equal((await admin.login(ADMIN.username, ADMIN.password)).status, 200);
  const heard: string[] = [];
  const stream = request(new URL('/api/v1/alerts/stream', b.url), { headers: { Cookie: admin.cookieHeader() }, localAddress: '127.0.0.3' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        heard.push(chunk);
        if (chunk.includes('event: ready')) resolve();
      });
    });
    stream.on('error', reject);
  });
  stream.end();
  defer(() => stream.destroy());
  await opened;
  const { alert } = await a.services.alerts.raise({ source: 'security', severity: 'high', dedupKey: 'replicas:stream', title: 'Raised on A', summary: 'Seen on B.', ip: null });
  await eventually(() => heard.join('').includes(`"id":${alert.id}`), 'the alert heard on the other replica');
  assert.equal((await admin.post(`/api/v1/alerts/${alert.id}/ack`, {})).status, 200);
  await eventually(() => heard.join('').includes('"status":"acknowledged"'), 'the acknowledgement heard on the other replica');

  // A ban made on A is in force on B (announced through Redis; without it B reads the list again within two seconds).
  const banned = await admin.post('/api/v1/monitor/bans', { ip: '198.51.100.77', reason: 'replica test' });
  assert.equal(banned.status, 201, banned.text);
  await eventually(() => b.services.bans.isBanned('198.51.100.77'), 'the ban in force on the other replica', 10_000);
});

test('with its Redis unreachable, a panel still signs people in and still limits guessing, in its own memory', async (t) => {
  // Nothing listens on port 1: every Redis command fails at once.
  const defer = cleanups(t);
  const panel = await startPanel({ redis: { url: 'redis://127.0.0.1:1', keyPrefix: 'aether-down' }, rateLimits: { loginPerIpAccount: { points: 3, durationSeconds: 900, blockSeconds: 60 } } });
  defer(() => panel.close());
  await setupAdmin(panel);
  assert.equal((await new TestClient(panel.url).login(ADMIN.username, ADMIN.password)).status, 200);
  for (let i = 1; i <= 3; i += 1) assert.equal((await new TestClient(panel.url).login(ADMIN.username, `Wrong-Guess-${i}x`)).status, 401);
  const blocked = await new TestClient(panel.url).login(ADMIN.username, ADMIN.password);
  assert.equal(blocked.status, 429, blocked.text);
  // The monitor's events cannot go to the shared stream: this replica evaluates them itself, and a brute force is
  // still caught and banned.
  const attacker = new TestClient(panel.url, { localAddress: '127.0.7.7' });
  for (let i = 0; i < 10; i += 1) assert.ok([401, 429].includes((await attacker.login(`nobody-${i % 3}`, `Wrong-Guess-${i}x`)).status));
  await eventually(async () => (await attacker.get('/api/v1/auth/session')).status === 403, 'the brute force banned', 20_000);
  assert.equal(panel.services.monitor.evaluation(), 'follower');
});

test('two replicas sending one outbox: every notification is mailed once', { timeout: 180_000 }, async (t) => {
  const engine = SERVER_ENGINES.find((e) => process.env[e === 'postgres' ? 'AETHER_TEST_POSTGRES_URL' : 'AETHER_TEST_MYSQL_URL']) ?? SERVER_ENGINES[0]!;
  if (!needsEngine(t, engine)) return;
  const mail = await startMailServer();
  t.after(() => mail.close());
  // Both poll the outbox every 100 ms: each due row is seen by both, and only the claim decides who sends it.
  const alerts = { retryBaseSeconds: 0.1, retryMaxSeconds: 0.5, pollSeconds: 0.1, sendTimeoutSeconds: 5 };
  const [a, b] = await twoReplicas(t, engine, { alerts });
  const admin = await setupAdmin(a);
  const channel = await admin.post('/api/v1/alerts/channels', {
    type: 'email',
    name: 'on-call',
    config: { host: '127.0.0.1', port: mail.port, secure: false, starttls: 'off', from: 'panel@example.test', to: ['oncall@example.test'] },
    rateLimit: { max: 1000, windowSeconds: 3600 },
  });
  assert.equal(channel.status, 201, channel.text);
  // Each replica reads the channel list again after a second at most (channels.service.ts).
  await new Promise((resolve) => setTimeout(resolve, 1200));

  const raised = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? a : b).services.alerts.raise({ source: 'security', severity: 'high', dedupKey: `outbox:${i}`, title: `Outbox alert ${i}`, summary: `Alert ${i}.`, ip: null }),
    ),
  );
  assert.equal(new Set(raised.map((r) => r.alert.id)).size, 40);
  await eventually(async () => {
    const left = (await a.db('notifications').whereNot({ status: 'delivered' }).count({ n: '*' }).first()) as { n: number | string };
    return Number(left.n) === 0 && mail.mails.length >= 40;
  }, 'every notification delivered', 60_000).catch(async (err: Error) => {
    const rows = await a.db('notifications').select('status', 'kind', 'attempts', 'last_error');
    throw new Error(`${err.message}: ${mail.mails.length} mails; ${JSON.stringify(rows.slice(0, 5))} (${rows.length} rows)`);
  });
  // Give a double send the time to show.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const subjects = mail.mails.map((m) => m.subject);
  for (let i = 0; i < 40; i += 1) assert.equal(subjects.filter((s) => s.endsWith(`Outbox alert ${i}`)).length, 1, `alert ${i}: ${subjects.join(' | ')}`);
  assert.equal(mail.mails.length, 40);
});

for (const engine of SERVER_ENGINES) {
  test(`two replicas on one ${engine} database checking one node: its silence is one event and one alert, its return one event`, async (t) => {
    if (!needsEngine(t, engine) || !needsDocker(t)) return;
    const defer = cleanups(t);
    // Both replicas' local node is the engine behind a socket this test can cut.
    const dir = mkdtempSync(join(tmpdir(), 'aether-replica-engine-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const link = engineLink(join(dir, 'docker.sock'));
    await link.up();
    defer(() => link.down());
    const [a, b] = await twoReplicas(t, engine, { servers: { dockerSocket: join(dir, 'docker.sock') } });
    const admin = await setupAdmin(a);
    const nodeId = (await admin.get('/api/v1/nodes')).body.items[0].id as string;
    const checkBoth = async () => Promise.all([a.services.nodes.check(nodeId), b.services.nodes.check(nodeId)]);
    const handled = async () => Promise.all([a.services.servers.nodeChangesHandled(), b.services.servers.nodeChangesHandled()]);
    const events = async (type: string) => ((await admin.get(`/api/v1/audit?type=${type}`)).body.items as Array<{ target: { id: string } }>).filter((e) => e.target.id === nodeId).length;
    const openAlerts = async () => ((await admin.get('/api/v1/alerts?source=servers')).body.items as Array<{ title: string; status: string }>).filter((x) => x.title.startsWith('Node local does not answer') && x.status !== 'resolved');
    assert.deepEqual((await checkBoth()).map((h) => h.reachable), [true, true]);

    await link.down();
    assert.deepEqual((await checkBoth()).map((h) => h.reachable), [false, false]);
    await handled();
    assert.equal(await events('node.unreachable'), 1, 'one event, though both replicas saw the node go silent');
    await eventually(async () => (await openAlerts()).length === 1, 'the alert');

    await link.up();
    assert.deepEqual((await checkBoth()).map((h) => h.reachable), [true, true]);
    await handled();
    assert.equal(await events('node.reachable'), 1);
    assert.equal(await events('node.unreachable'), 1);
    await eventually(async () => (await openAlerts()).length === 0, 'the alert resolved');
  });
}
