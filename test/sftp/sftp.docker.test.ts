// SFTP with the real OpenSSH sftp client in batch mode, into a real server's files (its container on a real Docker
// Engine): password and key logins, put, get, ls, rename, rm, mkdir; a read-only user denied writes; escapes through
// links planted by the container; a session ended when its user is disabled; failed logins audited and limited.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';
import { askpassEnv, HAS_SFTP_CLIENT, runSftp, sftpArgs, type SftpAuth } from '../helpers/sftp-client.ts';
import { SFTP_ALGORITHMS } from '../../src/sftp/sftp.server.ts';

const SECRET = 'host secret';

describe('SFTP with the OpenSSH client', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let serverId = '';
  let shortId = '';
  let root = '';
  let port = 0;
  const dir = mkdtempSync(join(tmpdir(), 'aether-sftp-'));
  const outside = join(dir, 'outside');

  before(async () => {
    const ports = testPortRange();
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: ports }, sftp: { enabled: true, recheckSeconds: 1 } }));
    port = panel.sftpPort()!;
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    mkdirSync(join(dir, 'local'));
  });
  after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `sftp -b -` with these commands as this user, from the local directory; resolves with its exit code and output. */
  const sftp = (user: string, commands: string[], auth: SftpAuth, extra: string[] = []) => runSftp({ dir, port, user, commands, auth, extra, cwd: join(dir, 'local') });

  test('password login: put, ls, get, rename, mkdir, rm; the files land in the server\'s data directory', async (t) => {
    if (!needsDocker(t) || !needs(t, 'sftp', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) return;
    const created = await admin.post('/api/v1/servers', { name: 'Sftp', template: 'test-server' });
    assert.equal(created.status, 201, created.text);
    ({ id: serverId, shortId } = created.body.server);
    root = panel.services.servers.dataDirOf(serverId);
    writeFileSync(join(dir, 'local', 'upload.txt'), 'uploaded over sftp\n');
    writeFileSync(join(dir, 'local', 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 123, 9));

    const user = `${ADMIN.username}.${shortId}`;
    const run = await sftp(user, ['put upload.txt', 'put big.bin', 'mkdir plugins', 'rename upload.txt plugins/notes.txt', 'ls -l plugins', 'get plugins/notes.txt fetched.txt', 'get big.bin big-back.bin', 'rm big.bin', 'cd plugins', 'get ../plugins/notes.txt via-parent.txt', 'cd ..', 'pwd'], { password: ADMIN.password });
    assert.equal(run.code, 0, run.out + JSON.stringify((await admin.get('/api/v1/audit?type=sftp.*')).body.items.map((e: { details: unknown }) => e.details)));
    assert.equal(readFileSync(join(root, 'plugins', 'notes.txt'), 'utf8'), 'uploaded over sftp\n');
    assert.ok(!existsSync(join(root, 'big.bin')));
    assert.equal(readFileSync(join(dir, 'local', 'fetched.txt'), 'utf8'), 'uploaded over sftp\n');
    assert.deepEqual(readFileSync(join(dir, 'local', 'big-back.bin')), Buffer.alloc(3 * 1024 * 1024 + 123, 9));
    assert.match(run.out, /notes\.txt/);
    assert.match(run.out, /Remote working directory: \/\r?$/m, '".." goes back up, as far as the root');
    assert.equal(readFileSync(join(dir, 'local', 'via-parent.txt'), 'utf8'), 'uploaded over sftp\n');
    const events = ((await admin.get('/api/v1/audit?type=file.*&limit=50')).body.items as Array<{ type: string; details: { via?: string } }>).filter((e) => e.details.via === 'sftp').map((e) => e.type);
    for (const type of ['file.written', 'file.mkdir', 'file.renamed', 'file.deleted']) assert.ok(events.includes(type), `${type}: ${events.join(', ')}`);
    assert.equal(((await admin.get('/api/v1/audit?type=sftp.login')).body.items as unknown[]).length >= 1, true);

    // The endpoint the account page shows: the port, and the fingerprint of the key the client was given.
    const endpoint = await admin.get('/api/v1/sftp');
    assert.equal(endpoint.status, 200);
    assert.equal(endpoint.body.enabled, true);
    assert.equal(endpoint.body.port, port);
    const seen = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'known_hosts')], { encoding: 'utf8' });
    assert.match(seen, /ED25519/);
    assert.ok(seen.includes(endpoint.body.hostKeyFingerprint), `${seen} vs ${endpoint.body.hostKeyFingerprint}`);
  });

  test('escapes: links planted in the data directory are never followed; "..", absolute paths stay inside', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP_CLIENT || !serverId) return;
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync('/etc', join(root, 'etc'));
    const user = `${ADMIN.username}.${shortId}`;
    const attempts = ['get escape/secret.txt stolen.txt', 'get /etc/passwd passwd', 'get ../../../../etc/passwd passwd2', 'put upload.txt escape/planted.txt', 'ls escape/secret.txt', 'cd escape', 'ls etc/passwd', 'chmod 777 escape', 'rm escape/secret.txt', 'mkdir escape/made', 'rename escape/secret.txt moved.txt'];
    for (const command of attempts) {
      const run = await sftp(user, [command], { password: ADMIN.password });
      assert.notEqual(run.code, 0, `${command} must fail: ${run.out}`);
    }
    assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), SECRET);
    assert.ok(!existsSync(join(outside, 'planted.txt')) && !existsSync(join(outside, 'made')));
    assert.ok(!existsSync(join(dir, 'local', 'stolen.txt')) && !existsSync(join(dir, 'local', 'passwd')) && !existsSync(join(dir, 'local', 'passwd2')));
    const ls = await sftp(user, ['cd /', 'pwd'], { password: ADMIN.password });
    assert.match(ls.out, /Remote working directory: \/$/m);
  });

  test('key login; a read-only user gets permission denied on writes; 2FA users need a key or an app password', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP_CLIENT || !serverId) return;
    const role = await admin.post('/api/v1/roles', { name: `sftp-reader-${Date.now()}`, description: 'reads over sftp', scopes: ['server.view', 'server.sftp', 'server.files.view'] });
    const reader = await createUser(panel, admin, []);
    assert.equal((await admin.put(`/api/v1/users/${reader.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] })).status, 200);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'reader', '-f', join(dir, 'reader_key')]);
    const added = await reader.client.post('/api/v1/users/me/ssh-keys', { publicKey: readFileSync(join(dir, 'reader_key.pub'), 'utf8'), currentPassword: reader.password });
    assert.equal(added.status, 201, added.text);
    const user = `${reader.username}.${shortId}`;
    const read = await sftp(user, ['get plugins/notes.txt reader-copy.txt'], { key: join(dir, 'reader_key') });
    assert.equal(read.code, 0, read.out);
    assert.equal(readFileSync(join(dir, 'local', 'reader-copy.txt'), 'utf8'), 'uploaded over sftp\n');
    const write = await sftp(user, ['put upload.txt by-reader.txt'], { key: join(dir, 'reader_key') });
    assert.notEqual(write.code, 0);
    assert.match(write.out, /[Pp]ermission denied/);
    assert.ok(!existsSync(join(root, 'by-reader.txt')));
    const del = await sftp(user, ['rm plugins/notes.txt'], { key: join(dir, 'reader_key') });
    assert.notEqual(del.code, 0);
    assert.ok(existsSync(join(root, 'plugins', 'notes.txt')));

    // Without server.sftp on this server, no login at all.
    const stranger = await createUser(panel, admin, []);
    const refused = await sftp(`${stranger.username}.${shortId}`, ['ls'], { password: stranger.password });
    assert.notEqual(refused.code, 0);
  });

  test('old algorithms are refused: CBC and CTR ciphers, SHA-1 key exchange, RSA host keys; no SHA-1 MAC exists to choose', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP_CLIENT || !serverId) return;
    const user = `${ADMIN.username}.${shortId}`;
    // Every cipher offered is an AEAD, so no MAC is ever negotiated; the MACs listed (for the protocol's sake) are SHA-2.
    assert.ok(![...SFTP_ALGORITHMS.hmac, ...SFTP_ALGORITHMS.cipher, ...SFTP_ALGORITHMS.kex].some((a) => /sha1|cbc|md5|-ctr/.test(a)));
    for (const option of ['Ciphers=aes128-cbc,aes256-cbc', 'Ciphers=aes128-ctr', 'KexAlgorithms=diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1', 'HostKeyAlgorithms=ssh-rsa,rsa-sha2-256']) {
      const run = await sftp(user, ['pwd'], { password: ADMIN.password }, ['-o', option]);
      assert.notEqual(run.code, 0, `${option}: ${run.out}`);
      // The key exchange fails (the client says so, or sees the server close the connection): no login happens.
      assert.match(run.out, /no matching|Connection closed/i, option);
      assert.doesNotMatch(run.out, /Remote working directory|Permission denied/, option);
    }
    // The modern ones each work.
    for (const cipher of ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com']) {
      const run = await sftp(user, ['pwd'], { password: ADMIN.password }, ['-o', `Ciphers=${cipher}`]);
      assert.equal(run.code, 0, `${cipher}: ${run.out}`);
    }
  });

  test('a banned address is dropped before the SSH handshake, and nothing is audited as a login attempt', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP_CLIENT || !serverId) return;
    const ban = await admin.post('/api/v1/monitor/bans', { ip: '127.0.0.2', durationMinutes: 10, reason: 'test' });
    assert.equal(ban.status, 201, ban.text);
    const before = ((await admin.get('/api/v1/audit?type=sftp.*&limit=200')).body.items as unknown[]).length;
    const run = await sftp(`${ADMIN.username}.${shortId}`, ['pwd'], { password: ADMIN.password }, ['-o', 'BindAddress=127.0.0.2']);
    assert.notEqual(run.code, 0);
    assert.match(run.out, /closed|reset/i);
    assert.doesNotMatch(run.out, /Permission denied/);
    assert.equal(((await admin.get('/api/v1/audit?type=sftp.*&limit=200')).body.items as unknown[]).length, before);
    // The same client from an address that is not banned logs in.
    assert.equal((await sftp(`${ADMIN.username}.${shortId}`, ['pwd'], { password: ADMIN.password })).code, 0);
  });

  test('an open session ends when its key is removed, its user\'s password changes, or the SFTP scope is taken away', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP_CLIENT || !serverId) return;
    /** A session held open (the client waits for commands), and a promise of its exit. */
    const hold = (user: string, auth: { password?: string; key?: string }) => {
      const child = spawn('sftp', [...sftpArgs(dir, port, auth), `${user}@127.0.0.1`], { env: askpassEnv(dir, auth.password), stdio: ['pipe', 'ignore', 'ignore'] });
      // A client still waiting when the test fails would keep the test file running.
      t.after(() => child.kill('SIGKILL'));
      return { child, exited: new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1))) };
    };
    const endedFor = async (userId: string, reason: string, what: string) => {
      await eventually(() => !panel.sftp!.sessions().some((s) => s.userId === userId), what, 10_000, 100);
      // The end is audited as the session closes: the event may follow a moment later.
      await eventually(async () => {
        const ended = (await admin.get('/api/v1/audit?type=sftp.session_ended&limit=200')).body.items as Array<{ actor: { id: string }; details: { reason: string } }>;
        return ended.some((e) => e.actor.id === userId && e.details.reason === reason);
      }, `${what}: audited as ${reason}`, 10_000, 100);
    };

    // A key removed.
    const keyUser = await createUser(panel, admin, ['admin']);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'held', '-f', join(dir, 'held_key')]);
    const key = await keyUser.client.post('/api/v1/users/me/ssh-keys', { publicKey: readFileSync(join(dir, 'held_key.pub'), 'utf8'), currentPassword: keyUser.password });
    const byKey = hold(`${keyUser.username}.${shortId}`, { key: join(dir, 'held_key') });
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === keyUser.id), 'the key session to open', 20_000, 100);
    assert.equal((await admin.del(`/api/v1/users/${keyUser.id}/ssh-keys/${key.body.key.id}`)).status, 204);
    await endedFor(keyUser.id, 'key_removed', 'the key session to end');
    byKey.child.stdin!.end();
    await byKey.exited;

    // A password changed.
    const pwUser = await createUser(panel, admin, ['admin']);
    const byPassword = hold(`${pwUser.username}.${shortId}`, { password: pwUser.password });
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === pwUser.id), 'the password session to open', 20_000, 100);
    const changed = await pwUser.client.post('/api/v1/users/me/password', { currentPassword: pwUser.password, newPassword: 'A-Completely-New-Pass-77' });
    assert.equal(changed.status, 200, changed.text);
    await endedFor(pwUser.id, 'password_changed', 'the password session to end');
    byPassword.child.stdin!.end();
    await byPassword.exited;

    // The scope taken away (the role removed).
    const role = await admin.post('/api/v1/roles', { name: `sftp-only-${Date.now()}`, description: 'sftp', scopes: ['server.view', 'server.sftp', 'server.files.view'] });
    const scoped = await createUser(panel, admin, []);
    await admin.put(`/api/v1/users/${scoped.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] });
    const byScope = hold(`${scoped.username}.${shortId}`, { password: scoped.password });
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === scoped.id), 'the scoped session to open', 20_000, 100);
    await admin.put(`/api/v1/users/${scoped.id}/roles`, { roles: [] });
    await endedFor(scoped.id, 'access_removed', 'the scoped session to end');
    byScope.child.stdin!.end();
    await byScope.exited;
  });

  test('a session ends when its user is disabled; failed logins are audited and limited', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP_CLIENT || !serverId) return;
    const user = `${ADMIN.username}.${shortId}`;
    const victim = await createUser(panel, admin, ['admin']);
    // A long session: the client waits on a command that never comes until the session is ended.
    const child = spawn('sftp', [...sftpArgs(dir, port, { password: victim.password }), `${victim.username}.${shortId}@127.0.0.1`], { env: askpassEnv(dir, victim.password), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    t.after(() => child.kill('SIGKILL'));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === victim.id), 'the session to open', 20_000, 100);
    assert.equal((await admin.patch(`/api/v1/users/${victim.id}`, { disabled: true })).status, 200);
    await eventually(() => !panel.sftp!.sessions().some((s) => s.userId === victim.id), 'the session to end', 10_000, 100);
    child.stdin.end();
    await exited;
    await eventually(async () => {
      const ended = (await admin.get('/api/v1/audit?type=sftp.session_ended')).body.items as Array<{ details: { reason: string } }>;
      return ended.some((e) => e.details.reason === 'user_disabled');
    }, `the end audited as user_disabled (${out})`, 10_000, 100);

    for (let i = 0; i < 3; i += 1) assert.notEqual((await sftp(user, ['ls'], { password: 'wrong password' })).code, 0);
    const failures = (await admin.get('/api/v1/audit?type=sftp.auth.failure')).body.items as Array<{ ip: string; details: { reason: string } }>;
    assert.ok(failures.filter((f) => f.details.reason === 'wrong_credential').length >= 3);
    assert.equal(failures[0]!.ip, '127.0.0.1');
  });
});
