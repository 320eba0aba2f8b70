// Tests the `aether` command line: user commands, config check, allowlist clear, help and exit codes, the real binary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { createDb } from '../../src/db/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { FAST_HASHING } from '../helpers/panel.ts';

const BIN = fileURLToPath(new URL('../../bin/aether.js', import.meta.url));
const GOOD = 'Quite-Long-Passphrase-77';

function workspace(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aether-cli-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ logLevel: 'silent', passwordHashing: FAST_HASHING, ...extra }));
  return { dir, configPath };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDb<T>(configPath: string, fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const config = loadConfig({ path: configPath, env: {} });
  const db = createDb(config.database, config.paths.database);
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

describe('aether CLI', () => {
  test('user create with AETHER_PASSWORD makes an admin whose password is hashed with argon2id', async () => {
    const { configPath } = workspace();
    const res = await run(['user', 'create', '--username', 'Alice', '--email', 'Alice@Example.com', '--admin', '--config', configPath], { AETHER_PASSWORD: GOOD });
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /Created user alice .* with role\(s\) admin/);
    await withDb(configPath, async (db) => {
      const user = await db('users').where({ username: 'alice' }).first();
      assert.equal(user.email, 'alice@example.com');
      assert.match(user.password_hash, /^\$argon2id\$/);
      assert.ok(!JSON.stringify(user).includes(GOOD));
      const events = await db('audit_events').where({ type: 'user.created' });
      assert.equal(events.length, 1);
      assert.equal(events[0].actor_type, 'system');
    });
  });

  const failures: Array<{ name: string; args: string[]; env?: Record<string, string>; code: number; says: RegExp }> = [
    { name: 'missing --email', args: ['user', 'create', '--username', 'x'], code: 2, says: /--username and --email are required/ },
    { name: 'unknown option', args: ['user', 'create', '--bogus'], code: 2, says: /Unknown option '--bogus'/ },
    { name: 'unknown command', args: ['fly'], code: 2, says: /Unknown command: fly/ },
    { name: 'unknown role', args: ['user', 'create', '--username', 'bob', '--email', 'b@x.org', '--role', 'wizard'], env: { AETHER_PASSWORD: GOOD }, code: 2, says: /No role "wizard"/ },
    { name: 'weak password', args: ['user', 'create', '--username', 'bob', '--email', 'b@x.org'], env: { AETHER_PASSWORD: 'password' }, code: 1, says: /Password rejected/ },
    { name: 'unknown user', args: ['user', 'disable', '--username', 'nobody'], code: 2, says: /No user "nobody"/ },
  ];
  for (const c of failures) {
    test(`exit ${c.code} on ${c.name}`, async () => {
      const { configPath } = workspace();
      const res = await run([...c.args, '--config', configPath], c.env ?? {});
      assert.equal(res.code, c.code);
      assert.match(res.err, c.says);
    });
  }

  test('config check names a bad key and exits 78', async () => {
    const { configPath } = workspace({ http: { port: 8080, hots: 'x' } });
    const res = await run(['config', 'check', '--config', configPath]);
    assert.equal(res.code, 78);
    assert.match(res.err, /http\.hots: unknown key/);
    const good = workspace();
    assert.equal((await run(['config', 'check', '--config', good.configPath])).code, 0);
  });

  test('--help on every command', async () => {
    for (const cmd of [['start'], ['migrate'], ['user', 'create'], ['user', 'reset-password'], ['user', 'reset-2fa'], ['user', 'disable'], ['audit', 'verify'], ['config', 'check'], ['allowlist', 'clear'], ['analyze'], ['ban', 'list'], ['ban', 'add'], ['ban', 'remove']]) {
      const res = await run([...cmd, '--help']);
      assert.equal(res.code, 0);
      assert.match(res.out, new RegExp(`Usage: aether ${cmd.join(' ')}`));
    }
    assert.match((await run(['--help'])).out, /allowlist clear/);
  });

  test('reset-password and disable end the user\'s sessions and are audited', async () => {
    const { configPath } = workspace();
    assert.equal((await run(['user', 'create', '--username', 'carol', '--email', 'c@x.org', '--config', configPath], { AETHER_PASSWORD: GOOD })).code, 0);
    await withDb(configPath, async (db) => {
      const user = await db('users').where({ username: 'carol' }).first();
      const now = Date.now();
      await db('sessions').insert({ id: 's1', token_hash: 'a'.repeat(64), user_id: user.id, data: '{}', created_at: now, last_seen_at: now, expires_at: now + 3600_000, rotate: false });
    });
    const reset = await run(['user', 'reset-password', '--username', 'carol', '--config', configPath], { AETHER_PASSWORD: 'Brand-New-Passphrase-88' });
    assert.equal(reset.code, 0, reset.err);
    await withDb(configPath, async (db) => {
      assert.equal((await db('sessions')).length, 0);
      assert.equal((await db('audit_events').where({ type: 'user.password_reset' })).length, 1);
    });
    assert.equal((await run(['user', 'disable', '--username', 'carol', '--config', configPath])).code, 0);
    await withDb(configPath, async (db) => {
      assert.equal(Boolean((await db('users').where({ username: 'carol' }).first()).disabled), true);
      assert.equal((await db('audit_events').where({ type: 'user.disabled' })).length, 1);
    });
  });

  test('reset-2fa turns a user\'s 2FA off, ends their sessions and is audited; without 2FA it exits 1', async () => {
    const { configPath } = workspace();
    assert.equal((await run(['user', 'create', '--username', 'dave', '--email', 'd@x.org', '--config', configPath], { AETHER_PASSWORD: GOOD })).code, 0);
    const none = await run(['user', 'reset-2fa', '--username', 'dave', '--config', configPath]);
    assert.equal(none.code, 1);
    assert.match(none.err, /does not use two-factor authentication/);
    await withDb(configPath, async (db) => {
      const user = await db('users').where({ username: 'dave' }).first();
      const now = Date.now();
      await db('user_totp').insert({ user_id: user.id, secret_enc: 'v1.00000000.x.y', confirmed_at: now, last_step: 0, created_at: now });
      await db('recovery_codes').insert({ id: 'r1', user_id: user.id, code_hash: 'b'.repeat(64), created_at: now });
      await db('sessions').insert({ id: 's2', token_hash: 'c'.repeat(64), user_id: user.id, data: '{}', created_at: now, last_seen_at: now, expires_at: now + 3600_000, rotate: false });
    });
    const res = await run(['user', 'reset-2fa', '--username', 'dave', '--config', configPath]);
    assert.equal(res.code, 0, res.err);
    await withDb(configPath, async (db) => {
      assert.equal((await db('user_totp')).length, 0);
      assert.equal((await db('recovery_codes')).length, 0);
      assert.equal((await db('sessions')).length, 0);
      const [event] = await db('audit_events').where({ type: 'auth.2fa.reset_by_admin' });
      assert.equal(event.actor_name, 'cli');
      assert.equal(event.target_name, 'dave');
    });
  });

  test('ban add, list and remove: audited, and refused for an allowlisted address', async () => {
    const { configPath } = workspace({ monitor: { neverBan: ['192.0.2.0/24'] } });
    const add = await run(['ban', 'add', '--ip', '2001:db8:7:8::1', '--reason', 'scanner', '--minutes', '30', '--config', configPath]);
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /Banned 2001:db8:7:8::\/64 \(#1\) until /);
    assert.equal((await run(['ban', 'add', '--ip', '192.0.2.5', '--reason', 'x', '--config', configPath])).code, 1);
    assert.equal((await run(['ban', 'add', '--ip', '1.2.3.4', '--config', configPath])).code, 2);
    assert.match((await run(['ban', 'list', '--config', configPath])).out, /#1 {2}2001:db8:7:8::\/64 {2}until .*by cli: scanner/);
    const remove = await run(['ban', 'remove', '--ip', '2001:db8:7:8::99', '--config', configPath]);
    assert.equal(remove.code, 0, remove.err);
    assert.match((await run(['ban', 'list', '--config', configPath])).out, /No bans in force/);
    await withDb(configPath, async (db) => {
      assert.deepEqual((await db('audit_events').where('type', 'like', 'monitor.ban.%').orderBy('id')).map((e: { type: string }) => e.type), ['monitor.ban.created', 'monitor.ban.skipped', 'monitor.ban.lifted']);
    });
  });

  test('allowlist clear empties the panel entries and the config file\'s', async () => {
    const { configPath } = workspace({ security: { adminAllowlist: ['10.1.0.0/16'] } });
    // Put a panel entry in place through the settings table, as the API would.
    const res0 = await run(['migrate', '--config', configPath]);
    assert.equal(res0.code, 0);
    await withDb(configPath, async (db) => {
      await db('settings').insert({ key: 'admin_allowlist', value: JSON.stringify(['192.0.2.0/24']), updated_at: Date.now() });
    });
    const res = await run(['allowlist', 'clear', '--config', configPath]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /Removed 1 entry/);
    assert.deepEqual(JSON.parse(readFileSync(configPath, 'utf8')).security.adminAllowlist, []);
    await withDb(configPath, async (db) => {
      assert.deepEqual(JSON.parse((await db('settings').where({ key: 'admin_allowlist' }).first()).value), []);
      assert.equal((await db('audit_events').where({ type: 'settings.allowlist_cleared' })).length, 1);
    });
  });

  test('the real binary reads the password from stdin and exits with the command\'s code', () => {
    const { configPath, dir } = workspace();
    const ok = spawnSync(process.execPath, [BIN, 'user', 'create', '--username', 'dave', '--email', 'd@x.org', '--role', 'auditor', '--config', configPath], { input: `${GOOD}\n`, cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Created user dave/);
    const verify = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--config', configPath], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(verify.status, 0, verify.stderr);
    const bad = spawnSync(process.execPath, [BIN, 'user', 'frobnicate'], { cwd: dir, encoding: 'utf8' });
    assert.equal(bad.status, 2);
  });
});
