// Panel backups on MariaDB and PostgreSQL (run with AETHER_TEST_DATABASE=mysql|postgres): a backup taken while the
// panel writes audit events holds one point in time (every table's rows as the snapshot had them, the audit chain
// whole); `aether restore` replaces a stopped panel's rows with the backup's (a user made after the backup is gone, the
// administrator signs in), refuses while a panel still uses the database, and a restore that fails part-way leaves
// the database as it was. A backup made on SQLite restores onto the server too: the archive holds SQLite either way.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { verifyAuditChain } from '../../src/audit/index.ts';
import { systemCaller } from '../../src/auth/index.ts';
import { newIdentity, restoreBackup } from '../../src/backup/index.ts';
import { main } from '../../src/cli/main.ts';
import { createDb, type Db } from '../../src/db/index.ts';
import { panelSchema } from '../../src/db/schema.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestDatabase, needsEngine, suiteEngine, type ServerEngine } from '../helpers/databases.ts';
import { ADMIN, createUser, setupAdmin } from '../helpers/fixtures.ts';
import { restartablePanel, startPanel, type TestPanel } from '../helpers/panel.ts';

/** The engine these tests run on: AETHER_TEST_DATABASE's; on SQLite they are skipped, saying so. */
function serverEngine(t: TestContext): ServerEngine | null {
  const engine = suiteEngine();
  if (!engine) {
    const reason = 'runs on a database server only: AETHER_TEST_DATABASE=postgres or AETHER_TEST_DATABASE=mysql (eval "$(scripts/test-databases.sh)" first)';
    t.diagnostic(`SKIPPED: ${reason}`);
    t.skip(reason);
    return null;
  }
  return needsEngine(t, engine) ? engine : null;
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Rows per panel table. */
async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name } of await panelSchema()) out[name] = Number(((await db(name).count({ n: '*' }).first()) as { n: number | string }).n);
  return out;
}

/** An age identity in a file `aether restore --identity` reads, and its recipient for backup.recipients. */
async function identityFile(dir: string): Promise<{ file: string; recipient: string }> {
  const { identity, recipient } = await newIdentity();
  const file = join(dir, 'identity.txt');
  writeFileSync(file, `${identity}\n`, { mode: 0o600 });
  return { file, recipient };
}

async function backUp(panel: TestPanel): Promise<string> {
  const job = await panel.services.backups.create(systemCaller('test'), { label: 'manual', withFiles: false }).done;
  assert.equal(job.state, 'done', job.error ?? '');
  return job.file!;
}

test('a backup taken while the panel writes audit events holds one point in time: every table as the snapshot had it, the audit chain whole', { timeout: 180_000 }, async (t) => {
  const engine = serverEngine(t);
  if (!engine) return;
  const { identity, recipient } = await newIdentity();
  const panel = await startPanel({ backup: { recipients: [recipient] } });
  t.after(() => panel.close());
  assert.equal(panel.config.database.client, engine);
  const admin = await setupAdmin(panel);
  await createUser(panel, admin, ['auditor']);
  assert.equal((await admin.post('/api/v1/clients', { name: 'deploy bot', scopes: ['users.view'] })).status, 201);
  // Refused logins: booleans, nulls and JSON in the monitor's and alerts' tables.
  for (let i = 0; i < 20; i += 1) await new TestClient(panel.url).login(`nobody-${i}`, 'wrong-password-x');

  // Audit events written one after another for as long as the backup runs.
  let writing = true;
  let written = 0;
  const writer = (async () => {
    while (writing) {
      await panel.services.audit.record({ type: 'test.during_backup', actor: { type: 'system', id: null, name: 'test' }, ip: null, userAgent: null, target: null, outcome: 'success', details: { i: written, flag: written % 2 === 0, note: null } });
      written += 1;
    }
  })();
  while (written < 10) await new Promise((resolve) => setTimeout(resolve, 20));
  const startedAt = written;
  const file = await backUp(panel);
  writing = false;
  await writer;

  // The snapshot's rows per table, as the backup recorded them (checked against its copy when it was written).
  const [created] = await panel.services.audit.list({ type: 'backup.created', limit: 1 });
  const snapshot = (created!.details.database as { engine: string; rows: Record<string, number> });
  assert.equal(snapshot.engine, engine);
  assert.deepEqual(Object.keys(snapshot.rows).sort(), (await panelSchema()).map((s) => s.name).sort(), 'every table of the panel is in the backup');

  // The scheduled restore test (into a temporary SQLite file) passes on it.
  const tested = await panel.services.backups.restoreTest();
  assert.equal(tested.ok, true, tested.detail);
  assert.equal(tested.auditEvents, snapshot.rows.audit_events);

  // Restored here to look inside: the copy is SQLite, its counts are the snapshot's, its chain verifies.
  const temp = mkdtempSync(join(tmpdir(), 'aether-server-backup-'));
  t.after(() => rmSync(temp, { recursive: true, force: true }));
  const sqlitePath = join(temp, 'data', 'database.db');
  await restoreBackup(file, { identities: [identity] }, { dataDir: join(temp, 'data'), database: { sqlitePath }, configPath: join(temp, 'config.json'), logDir: join(temp, 'logs'), serversDir: join(temp, 'data', 'servers') }, { force: false, now: new Date() });
  const copy = createDb({ client: 'sqlite', filename: sqlitePath, busyTimeoutMs: 5000 }, sqlitePath);
  try {
    assert.deepEqual(await counts(copy), snapshot.rows);
    const chain = await verifyAuditChain(copy);
    assert.equal(chain.ok, true, JSON.stringify(chain));
    assert.equal(chain.count, snapshot.rows.audit_events);
    // One point in time: the copy's events are the live chain's first ones, up to an event written during the backup.
    const during = Number(((await copy('audit_events').where({ type: 'test.during_backup' }).count({ n: '*' }).first()) as { n: number }).n);
    assert.ok(during >= startedAt && during <= written, `${during} of ${written} events written during the backup are in it (${startedAt} before it began)`);
    t.diagnostic(`${startedAt} test events before the backup began, ${during} in the snapshot, ${written} when it ended`);
    const last = (await copy('audit_events').orderBy('id', 'desc').first()) as { id: number; hash: string };
    const live = (await panel.db('audit_events').where({ id: last.id }).first()) as { hash: string };
    assert.equal(live.hash, last.hash, 'the copy is a prefix of the live chain');
    // Tables the panel did not write during the backup hold exactly the live rows.
    const now = await counts(panel.db);
    for (const table of ['users', 'roles', 'user_roles', 'oauth_clients']) assert.equal(snapshot.rows[table], now[table], table);
    // Booleans and numbers come back as SQLite keeps them.
    const client = (await copy('oauth_clients').first()) as { disabled: unknown; created_at: unknown };
    assert.equal(client.disabled, 0);
    assert.equal(typeof client.created_at, 'number');
    // audit.log was copied before the database: every line in it is an event the copy holds.
    const lines = readFileSync(join(temp, 'logs', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    assert.ok(lines.length > 0 && lines.every((l) => l.id <= last.id));
  } finally {
    await copy.destroy();
  }
});

test('aether restore onto a stopped panel on a database server replaces its rows; refused while a panel uses the database', { timeout: 240_000 }, async (t) => {
  const engine = serverEngine(t);
  if (!engine) return;
  const database = await createTestDatabase(engine);
  t.after(() => database.drop());
  const work = mkdtempSync(join(tmpdir(), 'aether-server-restore-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const identity = await identityFile(work);
  const panels = restartablePanel({ database: database.config, backup: { recipients: [identity.recipient] } });
  t.after(() => panels.remove());
  let panel: TestPanel | null = await panels.start();
  t.after(() => panel?.close());

  const admin = await setupAdmin(panel);
  const kept = await createUser(panel, admin, ['auditor']);
  const file = await backUp(panel);
  const later = await createUser(panel, admin, ['auditor']);
  const oldCookie = admin.cookieHeader();
  await panel.close();
  panel = null;
  const configPath = panels.config.configPath;
  const args = (...extra: string[]) => ['restore', file, '--identity', identity.file, '--config', configPath, ...extra];

  // Not without --force: the data directory holds the panel's keys; elsewhere, the database holds its rows.
  const notEmpty = await cli(args());
  assert.equal(notEmpty.code, 1, notEmpty.err);
  assert.match(notEmpty.err, /is not empty/);
  const held = await cli(args('--data-dir', join(work, 'elsewhere')));
  assert.equal(held.code, 1, held.out);
  assert.match(held.err, /holds \d+ row\(s\) already: pass --force/);
  assert.equal(existsSync(join(work, 'elsewhere')), false, 'nothing was restored there');

  // Not while a panel uses the database.
  const running = await panels.start();
  const busy = await cli(args('--force'));
  await running.close();
  assert.equal(busy.code, 1, busy.out);
  assert.match(busy.err, /other connection\(s\) use the database .*stop every panel that uses it/);

  const restored = await cli(args('--force'));
  assert.equal(restored.code, 0, restored.err);
  assert.match(restored.out, new RegExp(`rows of the ${engine} database "${database.config.client !== 'sqlite' ? database.config.database : ''}" were replaced by the backup's`));
  assert.match(restored.out, /Audit chain OK/);
  assert.match(restored.out, /Moved aside: .*config\.json\.before-restore-/, 'the backup\'s config.json names this database: with --force it replaces the one in place');
  // The rows it held are kept in a SQLite file beside the data directory, the user made after the backup among them.
  const aside = readdirSync(dirname(panels.config.paths.dataDir)).find((n) => /\.before-restore-.*\.database\.sqlite$/.test(n));
  assert.ok(aside, 'the replaced rows were saved');
  const savedPath = join(dirname(panels.config.paths.dataDir), aside);
  const saved = createDb({ client: 'sqlite', filename: savedPath, busyTimeoutMs: 5000 }, savedPath);
  try {
    assert.ok(await saved('users').where({ username: later.username }).first());
  } finally {
    await saved.destroy();
  }

  panel = await panels.start();
  assert.equal((await fetch(`${panel.url}/api/v1/users/me`, { headers: { Cookie: oldCookie } })).status, 401, 'no session survives a restore');
  const again = new TestClient(panel.url);
  assert.equal((await again.login(ADMIN.username, ADMIN.password)).status, 200);
  assert.equal((await new TestClient(panel.url).login(kept.username, kept.password)).status, 200);
  assert.equal((await new TestClient(panel.url).login(later.username, later.password)).status, 401, 'the user made after the backup is gone');
  const names = ((await again.get('/api/v1/users')).body.items as Array<{ username: string }>).map((u) => u.username).sort();
  assert.deepEqual(names, [ADMIN.username, kept.username].sort());
  const chain = await verifyAuditChain(panel.db);
  assert.equal(chain.ok, true, JSON.stringify(chain));
  const events = (await again.get('/api/v1/audit?type=backup.*')).body.items as Array<{ type: string; details: Record<string, unknown> }>;
  assert.equal(events.find((e) => e.type === 'backup.restored')?.details.database, engine);
});

test('a restore that fails part-way leaves the database server as it was; the same SQLite-made backup, mended, restores there', { timeout: 240_000 }, async (t) => {
  const engine = serverEngine(t);
  if (!engine) return;
  const work = mkdtempSync(join(tmpdir(), 'aether-server-restore-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const identity = await identityFile(work);

  // A panel on SQLite, whose database holds a row a database server refuses (SQLite does not enforce a column's
  // length): in the last tables the restore writes, so it fails after deleting and writing most of the others.
  const source = await startPanel({ database: { client: 'sqlite' }, backup: { recipients: [identity.recipient] } });
  t.after(() => source.close());
  const sourceAdmin = await setupAdmin(source);
  const sourceUser = await createUser(source, sourceAdmin, ['auditor']);
  const adminId = ((await source.db('users').where({ username: ADMIN.username }).first()) as { id: string }).id;
  const order = (await panelSchema()).map((s) => s.name);
  assert.ok(order.indexOf('sftp_app_passwords') > order.length - 4, order.join(' '));
  await source.db('sftp_app_passwords').insert({ id: 'a2b6a0c4-0000-4000-8000-000000000001', user_id: adminId, name: 'n'.repeat(300), digest: 'd'.repeat(64), created_at: Date.now(), last_used_at: null });
  const bad = await backUp(source);

  // The panel on the database server, with data of its own; then stopped.
  const database = await createTestDatabase(engine);
  t.after(() => database.drop());
  const panels = restartablePanel({ database: database.config });
  t.after(() => panels.remove());
  let panel: TestPanel | null = await panels.start();
  t.after(() => panel?.close());
  const admin = await setupAdmin(panel);
  const own = await createUser(panel, admin, ['auditor']);
  const before = await counts(panel.db);
  const head = (await verifyAuditChain(panel.db)) as { ok: true; headHash: string };
  const keys = readdirSync(join(panels.config.paths.dataDir, 'keys')).map((k) => [k, readFileSync(join(panels.config.paths.dataDir, 'keys', k), 'utf8')]);
  await panel.close();
  panel = null;

  const configPath = panels.config.configPath;
  const failed = await cli(['restore', bad, '--force', '--identity', identity.file, '--config', configPath]);
  assert.equal(failed.code, 1, failed.err);
  assert.match(failed.err, /writing sftp_app_passwords failed: .*rolled back and the database is as it was/);

  // The database, its audit chain and the data directory are as they were; nothing was moved or saved.
  const db = createDb(database.config, null);
  try {
    assert.deepEqual(await counts(db), before);
    const chain = await verifyAuditChain(db);
    assert.equal(chain.ok && chain.headHash, head.headHash);
    assert.ok(await db('users').where({ username: own.username }).first());
  } finally {
    await db.destroy();
  }
  for (const [name, text] of keys) assert.equal(readFileSync(join(panels.config.paths.dataDir, 'keys', name!), 'utf8'), text, name);
  assert.deepEqual(readdirSync(dirname(panels.config.paths.dataDir)).filter((n) => n.includes('before-restore')), []);
  panel = await panels.start();
  assert.equal((await new TestClient(panel.url).login(own.username, own.password)).status, 200);
  await panel.close();
  panel = null;

  // Mended, the SQLite panel's backup restores onto the server: its people sign in there.
  await source.db('sftp_app_passwords').delete();
  const good = await backUp(source);
  const restored = await cli(['restore', good, '--force', '--identity', identity.file, '--config', configPath]);
  assert.equal(restored.code, 0, restored.err);
  // Its config.json names the SQLite file: the one in place, naming the server, stays (the backup's is put beside it).
  assert.match(restored.out, /names another database than the one restored into/);
  assert.equal((JSON.parse(readFileSync(configPath, 'utf8')) as { database: { client: string } }).database.client, engine);
  panel = await panels.start();
  assert.equal((await new TestClient(panel.url).login(sourceUser.username, sourceUser.password)).status, 200);
  assert.equal((await new TestClient(panel.url).login(own.username, own.password)).status, 401);
  assert.equal((await verifyAuditChain(panel.db)).ok, true);
});
