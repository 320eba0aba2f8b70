// SFTP with the real OpenSSH sftp client in batch mode, into a real server's files (its container on a real Docker
// Engine): password and key logins, put, get, ls, rename, rm, mkdir; a read-only user denied writes; escapes through
// links planted by the container; a session ended when its user is disabled; failed logins audited and limited.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';

const HAS_SFTP = spawnSync('sftp', ['-V'], { stdio: 'ignore' }).error === undefined;
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
    const base = 54000 + Math.floor(Math.random() * 500) * 10;
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: { min: base, max: base + 9 } }, sftp: { enabled: true, recheckSeconds: 1 } }));
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

  /** A script the client asks for the password (OpenSSH reads passwords from a terminal or SSH_ASKPASS only). */
  const askpass = (password: string) => {
    const file = join(dir, `askpass-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${password.replace(/'/g, `'\\''`)}'\n`);
    chmodSync(file, 0o700);
    return file;
  };

  /** Runs `sftp -b -` with these commands as this user; resolves with its exit code and output. */
  function sftp(user: string, commands: string[], auth: { password?: string; key?: string }): Promise<{ code: number; out: string }> {
    const args = [
      // -b turns BatchMode on, which would refuse to ask for a password; the first value given (this one) wins.
      '-o', 'BatchMode=no',
      '-b', '-',
      '-P', String(port),
      '-o', 'StrictHostKeyChecking=no',
      '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      '-o', 'LogLevel=ERROR',
      '-o', `PreferredAuthentications=${auth.key ? 'publickey' : 'password'}`,
      '-o', 'NumberOfPasswordPrompts=1',
      ...(auth.key ? ['-i', auth.key, '-o', 'IdentitiesOnly=yes'] : ['-o', 'PubkeyAuthentication=no']),
      `${user}@127.0.0.1`,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, SSH_ASKPASS: auth.password ? askpass(auth.password) : '/bin/false', SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
    return new Promise((resolve) => {
      const child = spawn('sftp', args, { env, cwd: join(dir, 'local'), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin.end(`${commands.join('\n')}\n`);
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });
  }

  test('password login: put, ls, get, rename, mkdir, rm; the files land in the server\'s data directory', async (t) => {
    if (!needsDocker(t) || !needs(t, 'sftp', HAS_SFTP, 'not found: apt-get install openssh-client')) return;
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
  });

  test('escapes: links planted in the data directory are never followed; "..", absolute paths stay inside', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP || !serverId) return;
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
    if (!needsDocker(t) || !HAS_SFTP || !serverId) return;
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

  test('a session ends when its user is disabled; failed logins are audited and limited', async (t) => {
    if (!needsDocker(t) || !HAS_SFTP || !serverId) return;
    const user = `${ADMIN.username}.${shortId}`;
    const victim = await createUser(panel, admin, ['admin']);
    // A long session: the client waits on a command that never comes until the session is ended.
    const child = spawn('sftp', ['-P', String(port), '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', `${victim.username}.${shortId}@127.0.0.1`], {
      env: { ...process.env, SSH_ASKPASS: askpass(victim.password), SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === victim.id), 'the session to open', 20_000, 100);
    assert.equal((await admin.patch(`/api/v1/users/${victim.id}`, { disabled: true })).status, 200);
    await eventually(() => !panel.sftp!.sessions().some((s) => s.userId === victim.id), 'the session to end', 10_000, 100);
    child.stdin.end();
    await exited;
    const ended = (await admin.get('/api/v1/audit?type=sftp.session_ended')).body.items as Array<{ details: { reason: string } }>;
    assert.ok(ended.some((e) => e.details.reason === 'user_disabled'), out);

    for (let i = 0; i < 3; i += 1) assert.notEqual((await sftp(user, ['ls'], { password: 'wrong password' })).code, 0);
    const failures = (await admin.get('/api/v1/audit?type=sftp.auth.failure')).body.items as Array<{ ip: string; details: { reason: string } }>;
    assert.ok(failures.filter((f) => f.details.reason === 'wrong_credential').length >= 3);
    assert.equal(failures[0]!.ip, '127.0.0.1');
  });
});
