// Backup and restore end to end, with the CLI as an administrator uses it: a panel with users, an API client, signed-in
// sessions and a server with files (a real container) is backed up while it runs; its data directory is wiped; the
// backup is restored; the panel comes back with the same users, client and server files, no old session is valid,
// and the audit chain verifies. Debian's age tool decrypts the backup; a damaged one is refused whole. Under
// AETHER_TEST_DATABASE=postgres|mysql the panel runs on that server, which keeps its rows when the data directory is
// lost: the restore replaces them only with --force.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { TestClient } from '../helpers/client.ts';
import { createTestDatabase, suiteEngine } from '../helpers/databases.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN, createUser, setupAdmin } from '../helpers/fixtures.ts';
import { requestToken } from '../helpers/oauth.ts';
import { restartablePanel, type TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';

const PASSPHRASE = 'backup passphrase for the test 42';
const HAS_AGE = spawnSync('age', ['--version']).error === undefined && spawnSync('script', ['--version']).error === undefined;

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('backup while running, wipe, restore: same users, client and files; old sessions dead; the audit chain verifies', { timeout: 180_000 }, async (t) => {
  if (!needsDocker(t)) return;
  const ports = testPortRange();
  const engine = suiteEngine();
  const database = engine ? await createTestDatabase(engine) : null;
  const panels = restartablePanel({ servers: { portRange: ports }, ...(database ? { database: database.config } : {}) });
  let panel: TestPanel | null = await panels.start();
  let serverId = '';
  t.after(async () => {
    if (panel && serverId) {
      const admin = new TestClient(panel.url);
      await admin.login(ADMIN.username, ADMIN.password);
      await admin.del(`/api/v1/servers/${serverId}`).catch(() => undefined);
    }
    await panel?.close();
    panels.remove();
    await database?.drop();
  });
  const configPath = panels.config.configPath;
  const dataDir = panels.config.paths.dataDir;
  const env = { AETHER_BACKUP_PASSPHRASE: PASSPHRASE };

  // The state to keep.
  const admin = await setupAdmin(panel);
  const alice = await createUser(panel, admin, ['auditor']);
  const made = await admin.post('/api/v1/clients', { name: 'deploy-bot', scopes: ['audit.view'] });
  assert.equal(made.status, 201, made.text);
  const creds = { clientId: made.body.clientId as string, clientSecret: made.body.clientSecret as string };
  assert.equal((await requestToken(panel.url, creds)).status, 200);
  const created = await admin.post('/api/v1/servers', { name: 'Kept', template: 'test-server' });
  assert.equal(created.status, 201, created.text);
  serverId = created.body.server.id;
  const serverDir = panel.services.servers.dataDirOf(serverId);
  mkdirSync(join(serverDir, 'world'));
  writeFileSync(join(serverDir, 'world', 'level.dat'), 'the world\n');
  const usersBefore = ((await admin.get('/api/v1/users')).body.items as Array<{ username: string }>).map((u) => u.username).sort();

  // Without a passphrase or recipients there is no backup.
  const refused = await cli(['backup', 'create', '--config', configPath]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /age recipient .* or AETHER_BACKUP_PASSPHRASE/);

  const made1 = await cli(['backup', 'create', '--files', '--config', configPath], env);
  assert.equal(made1.code, 0, made1.err);
  const file = /Backup written: (\S+) /.exec(made1.out)![1]!;
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(!file.startsWith(dataDir), 'backups live outside the data directory');
  const listed = await cli(['backup', 'list', '--config', configPath], env);
  assert.match(listed.out, /manual\s+with server files/);
  const verified = await cli(['backup', 'verify', file, '--config', configPath], env);
  assert.equal(verified.code, 0, verified.err);
  assert.match(verified.out, /every checksum matches/);
  assert.match(verified.out, /files of 1 server\(s\)/);

  // Debian's age decrypts it with the passphrase (age reads passphrases from a terminal only: script gives it one).
  if (needs(t, 'age', HAS_AGE, 'not found: apt-get install age bsdutils')) {
    const plain = join(panels.dir, 'plain.tar.gz');
    const run = spawnSync('script', ['-q', '-e', '-c', `age -d -o ${plain} ${file}`, '/dev/null'], { input: `${PASSPHRASE}\n`, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const names = execFileSync('tar', ['-tzf', plain], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(names.includes('database/database.sqlite') && names.includes('config/config.json') && names.includes('keys/csrf.key'), names.join(' '));
    assert.ok(names.includes(`servers/${serverId}/world/level.dat`));
    assert.equal(names.at(-1), 'manifest.json');
  }

  // A damaged backup and a wrong passphrase are refused, clearly.
  const damaged = join(panels.dir, 'damaged.tar.gz.age');
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x55;
  writeFileSync(damaged, bytes);
  const bad = await cli(['backup', 'verify', damaged, '--config', configPath], env);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /damaged or truncated/);
  const wrong = await cli(['backup', 'verify', file, '--config', configPath], { AETHER_BACKUP_PASSPHRASE: 'not it' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.err, /cannot be opened/);

  // The sessions alive when the backup was made.
  const oldAdminCookie = admin.cookieHeader();
  const oldAliceCookie = alice.client.cookieHeader();
  assert.equal((await alice.client.get('/api/v1/users/me')).status, 200);

  // Lost: the panel stops and its data directory is gone.
  await panel.close();
  panel = null;
  rmSync(dataDir, { recursive: true, force: true });

  // A non-empty data directory is not overwritten without --force.
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'something.txt'), 'keep me');
  const notEmpty = await cli(['restore', file, '--config', configPath], env);
  assert.equal(notEmpty.code, 1);
  assert.match(notEmpty.err, /is not empty/);
  assert.equal(readFileSync(join(dataDir, 'something.txt'), 'utf8'), 'keep me');
  rmSync(join(dataDir, 'something.txt'));

  // On a database server the rows outlive the data directory: they are replaced only with --force (and saved first).
  if (engine) {
    const held = await cli(['restore', file, '--config', configPath], env);
    assert.equal(held.code, 1, held.out);
    assert.match(held.err, /holds \d+ row\(s\) already: pass --force/);
  }
  const restored = await cli(['restore', file, '--config', configPath, ...(engine ? ['--force'] : [])], env);
  assert.equal(restored.code, 0, restored.err);
  assert.match(restored.out, /session\(s\) from the backup were ended/);
  assert.match(restored.out, /Audit chain OK/);
  if (engine) assert.ok(readdirSync(panels.dir).some((n) => n.startsWith('config.json.before-restore-')), 'with --force the config in place was moved aside');
  else assert.ok(readdirSync(panels.dir).some((n) => n.startsWith('config.json.restored-')), 'the config in place was kept, the backup\'s put beside it');
  assert.equal(readFileSync(join(serverDir, 'world', 'level.dat'), 'utf8'), 'the world\n');
  if (process.getuid?.() === 0) assert.equal(statSync(join(serverDir, 'world', 'level.dat')).uid, 1000, 'server files belong to the container\'s user again');

  // Back up: the same users and client, no old session, the chain intact.
  panel = await panels.start();
  for (const cookie of [oldAdminCookie, oldAliceCookie]) {
    const res = await fetch(`${panel.url}/api/v1/users/me`, { headers: { Cookie: cookie } });
    assert.equal(res.status, 401, 'a session from before the restore is not valid');
  }
  const again = new TestClient(panel.url);
  assert.equal((await again.login(ADMIN.username, ADMIN.password)).status, 200);
  assert.deepEqual(((await again.get('/api/v1/users')).body.items as Array<{ username: string }>).map((u) => u.username).sort(), usersBefore);
  assert.equal((await requestToken(panel.url, creds)).status, 200, 'the API client\'s secret still works');
  assert.equal((await again.get(`/api/v1/servers/${serverId}`)).status, 200);
  const audit = await cli(['audit', 'verify', '--config', configPath]);
  assert.equal(audit.code, 0, audit.err);
  const events = (await again.get('/api/v1/audit?type=backup.*')).body.items as Array<{ type: string }>;
  assert.ok(events.some((e) => e.type === 'backup.restored'));
  assert.ok(existsSync(file), 'the backup itself is untouched');
});
