// aether db migrate-to, on real MariaDB and PostgreSQL servers: a running SQLite panel with users, an OAuth2 client
// and refused logins (audit events, detections, alerts) is copied into an empty database; the row counts and the
// audit chain are checked there, and a panel started on the copy signs the same people in and takes the same
// client's secret. A target that is not empty is refused and left alone; the password in the URL is never printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyAuditChain } from '../../src/audit/index.ts';
import { createDb } from '../../src/db/index.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestDatabase, needsEngine, SERVER_ENGINES } from '../helpers/databases.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { startPanel } from '../helpers/panel.ts';

const BIN = fileURLToPath(new URL('../../bin/aether.js', import.meta.url));

for (const engine of SERVER_ENGINES) {
  test(`aether db migrate-to ${engine}: everything copied, counted and the audit chain verified; the copy serves the panel`, { timeout: 180_000 }, async (t) => {
    if (!needsEngine(t, engine)) return;
    const { panel, admin } = await panelWithAdmin({ database: { client: 'sqlite' } });
    t.after(() => panel.close());
    const user = await createUser(panel, admin, ['auditor']);
    const created = await admin.post('/api/v1/clients', { name: 'deploy bot', scopes: ['users.view'] });
    assert.equal(created.status, 201, created.text);
    const client = created.body.client as { id: string };
    const secret = created.body.clientSecret as string;
    // Refused logins: audit events, detections, alerts with evidence (booleans, nulls, JSON details to copy).
    for (let i = 0; i < 120; i += 1) await new TestClient(panel.url).login(`nobody-${i}`, 'wrong-password-x');

    const target = await createTestDatabase(engine);
    t.after(() => target.drop());
    const configPath = join(panel.dir, 'config.json');
    const run = (url: string) => spawnSync(process.execPath, [BIN, 'db', 'migrate-to', '--config', configPath], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', AETHER_MIGRATE_TO_URL: url } });
    const res = run(target.url);
    assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
    assert.match(res.stdout, /every row count matches; audit chain OK in the target \((\d+) event\(s\)/);
    assert.ok(target.config.client !== 'sqlite' && !`${res.stdout}${res.stderr}`.includes(target.config.password), 'the password is never printed');
    const copiedEvents = Number(/audit chain OK in the target \((\d+) event/.exec(res.stdout)![1]);
    assert.ok(copiedEvents >= 50, `${copiedEvents} audit events copied`);

    // The copy verifies on its own, row for row.
    const db = createDb(target.config, null);
    try {
      const chain = await verifyAuditChain(db);
      assert.equal(chain.ok, true);
      assert.equal(chain.count, copiedEvents);
      const users = (await db('users').count({ n: '*' }).first()) as { n: number | string };
      assert.equal(Number(users.n), 2);
    } finally {
      await db.destroy();
    }

    // A second run into the same (now full) database is refused, and changes nothing there.
    const again = run(target.url);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty/);

    // A panel started on the copy: the same people, passwords and OAuth2 client; its audit chain goes on.
    const moved = await startPanel({ database: target.config });
    t.after(() => moved.close());
    const adminThere = new TestClient(moved.url);
    assert.equal((await adminThere.login(ADMIN.username, ADMIN.password)).status, 200);
    assert.equal((await new TestClient(moved.url).login(user.username, user.password)).status, 200);
    const token = await fetch(`${moved.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    assert.equal(token.status, 200);
    const bearer = ((await token.json()) as { access_token: string }).access_token;
    const listed = await fetch(`${moved.url}/api/v1/users`, { headers: { Authorization: `Bearer ${bearer}` } });
    assert.equal(listed.status, 200);
    const after = createDb(target.config, null);
    try {
      const chain = await verifyAuditChain(after);
      assert.equal(chain.ok, true);
      assert.ok(chain.count > copiedEvents, 'new events continue the copied chain');
    } finally {
      await after.destroy();
    }
  });
}

test('aether db migrate-to refuses a SQLite target and a bad URL with a clear message', async (t) => {
  const { panel } = await panelWithAdmin({ database: { client: 'sqlite' } });
  t.after(() => panel.close());
  const configPath = join(panel.dir, 'config.json');
  for (const [url, message] of [
    ['sqlite:other.db', /must be a MySQL\/MariaDB/],
    ['oracle://u:p@h/db', /unsupported scheme/],
  ] as const) {
    const res = spawnSync(process.execPath, [BIN, 'db', 'migrate-to', url, '--config', configPath], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(res.status, 78, res.stderr);
    assert.match(res.stderr, message);
  }
  const none = spawnSync(process.execPath, [BIN, 'db', 'migrate-to', '--config', configPath], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.equal(none.status, 2);
});
