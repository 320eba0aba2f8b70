// SFTP credentials through the API: SSH keys made by ssh-keygen added and removed, weak and duplicate keys refused, app
// passwords shown once and kept only as digests, the current password required, and administrators' review.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';

const HAS_KEYGEN = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

describe('SFTP credentials', () => {
  let panel: TestPanel;
  let admin: TestClient;
  const dir = mkdtempSync(join(tmpdir(), 'aether-sftp-keys-'));
  const pub = (name: string, ...args: string[]) => {
    execFileSync('ssh-keygen', ['-q', '-N', '', '-C', name, '-f', join(dir, name), ...args]);
    return readFileSync(join(dir, `${name}.pub`), 'utf8').trim();
  };

  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
  });
  after(async () => {
    await panel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('keys: added with the current password, listed with ssh-keygen\'s fingerprint, weak or duplicate ones refused, removed', async (t) => {
    if (!needs(t, 'ssh-keygen', HAS_KEYGEN, 'not found: apt-get install openssh-client')) return;
    const ed = pub('laptop', '-t', 'ed25519');
    const wrong = await admin.post('/api/v1/users/me/ssh-keys', { publicKey: ed, currentPassword: 'not-it' });
    assert.deepEqual([wrong.status, wrong.body.error.code], [400, 'invalid_password']);
    const added = await admin.post('/api/v1/users/me/ssh-keys', { publicKey: ed, currentPassword: ADMIN.password });
    assert.equal(added.status, 201, added.text);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'laptop.pub')], { encoding: 'utf8' }).split(' ')[1];
    assert.deepEqual([added.body.key.name, added.body.key.type, added.body.key.fingerprint], ['laptop', 'ssh-ed25519', fingerprint]);
    const dup = await admin.post('/api/v1/users/me/ssh-keys', { name: 'again', publicKey: ed, currentPassword: ADMIN.password });
    assert.deepEqual([dup.status, dup.body.error.code], [409, 'key_exists']);
    const weak = await admin.post('/api/v1/users/me/ssh-keys', { publicKey: pub('old', '-t', 'rsa', '-b', '2048'), currentPassword: ADMIN.password });
    assert.deepEqual([weak.status, weak.body.error.code], [400, 'invalid_public_key']);
    assert.match(weak.body.error.message, /at least 3072/);
    const priv = await admin.post('/api/v1/users/me/ssh-keys', { publicKey: readFileSync(join(dir, 'laptop'), 'utf8'), currentPassword: ADMIN.password });
    assert.deepEqual([priv.status, priv.body.error.code], [400, 'invalid_public_key'], 'a private key is not taken');

    const listed = await admin.get('/api/v1/users/me/ssh-keys');
    assert.deepEqual(listed.body.items.map((k: { fingerprint: string }) => k.fingerprint), [fingerprint]);
    assert.equal((await admin.del(`/api/v1/users/me/ssh-keys/${added.body.key.id}`)).status, 204);
    assert.deepEqual((await admin.get('/api/v1/users/me/ssh-keys')).body.items, []);
    const types = ((await admin.get('/api/v1/audit?type=sftp.*')).body.items as Array<{ type: string }>).map((e) => e.type);
    assert.ok(types.includes('sftp.key_added') && types.includes('sftp.key_removed') && types.includes('sftp.key_add_failed'), types.join(', '));
  });

  test('app passwords: shown once, kept as a digest, verified, revoked; an administrator reviews and revokes a user\'s', async () => {
    const made = await admin.post('/api/v1/users/me/sftp-passwords', { name: 'FileZilla', currentPassword: ADMIN.password });
    assert.equal(made.status, 201, made.text);
    const password = made.body.password as string;
    assert.match(password, /^aether_sftp_[A-Za-z0-9_-]{43}$/);
    const listed = await admin.get('/api/v1/users/me/sftp-passwords');
    assert.deepEqual(listed.body.items.map((p: { name: string }) => p.name), ['FileZilla']);
    assert.ok(!listed.text.includes(password), 'never shown again');
    const rows = JSON.stringify(await panel.db('sftp_app_passwords').select('*'));
    assert.ok(!rows.includes(password) && !rows.includes(password.slice(12)), 'not stored in plain text');
    const me = (await admin.get('/api/v1/users/me')).body.user.id as string;
    assert.equal(await panel.services.sftpCredentials.checkAppPassword(me, password), made.body.appPassword.id);
    assert.equal(await panel.services.sftpCredentials.checkAppPassword(me, `${password.slice(0, -1)}x`), null);
    assert.equal(await panel.services.sftpCredentials.checkAppPassword('someone-else', password), null);

    const user = await createUser(panel, admin, []);
    const theirs = await user.client.post('/api/v1/users/me/sftp-passwords', { name: 'WinSCP', currentPassword: user.password });
    assert.equal(theirs.status, 201, theirs.text);
    const review = await admin.get(`/api/v1/users/${user.id}/sftp-credentials`);
    assert.deepEqual(review.body.appPasswords.map((p: { name: string }) => p.name), ['WinSCP']);
    assert.equal((await user.client.get(`/api/v1/users/${user.id}/sftp-credentials`)).status, 403, 'review needs users.view');
    assert.equal((await admin.del(`/api/v1/users/${user.id}/sftp-passwords/${theirs.body.appPassword.id}`)).status, 204);
    assert.equal(await panel.services.sftpCredentials.checkAppPassword(user.id, theirs.body.password), null);
    assert.equal((await admin.del(`/api/v1/users/me/sftp-passwords/${theirs.body.appPassword.id}`)).status, 404, 'not mine');
  });
});
