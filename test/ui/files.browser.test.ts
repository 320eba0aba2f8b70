// The file manager and the SFTP part of My account in chromium, on a real Docker Engine and a real OpenSSH client:
// browse a server's files (a link planted as the container would is shown, never followed), drop several files at
// once and watch their progress, replace one that exists, download, edit a config file (and be warned when it changed
// underneath), rename, archive and extract, delete; a read-only user only reads; an SSH key and an app password made
// in the account page let the OpenSSH client in, and revoking the app password shuts it out; an administrator reviews
// the user's SFTP access in Users and removes the key. The Backups tab backs the files up and restores them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, stepper, watchContext } from '../helpers/browser.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN, createUser } from '../helpers/fixtures.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';
import { HAS_SFTP_CLIENT, runSftp } from '../helpers/sftp-client.ts';

const BIG = 6 * 1024 * 1024 + 321;
/** The bytes the page makes for the big upload (the same formula runs in the page). */
const bigBytes = () => Buffer.from(Uint8Array.from({ length: BIG }, (_, i) => (i * 31 + (i >> 11)) & 255));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

test('Files in chromium: browse, drop several files with progress, download, edit, rename, archive, extract, delete; SFTP keys and app passwords', { timeout: 240_000 }, async (t) => {
  if (!needsChromium(t) || !needsDocker(t) || !needs(t, 'sftp', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) return;
  let api: TestClient | null = null;
  t.after(async () => {
    if (!api) return;
    const left = await api.get('/api/v1/servers').catch(() => null);
    for (const server of (left?.body?.items ?? []) as Array<{ id: string }>) await api.del(`/api/v1/servers/${server.id}`).catch(() => undefined);
  });
  const ports = testPortRange();
  const { panel, browser } = await panelWithBrowser(t, { servers: { portRange: ports }, sftp: { enabled: true, port: 0, recheckSeconds: 1 } });
  const dir = mkdtempSync(join(tmpdir(), 'aether-files-ui-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const step = stepper(t);
  let serverId = '';
  let shortId = '';
  let root = '';

  const shootThemes = async (name: string) => {
    await settled(page);
    await screenshot(page, `${name}-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `${name}-dark`);
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const row = (name: string) => page.locator(`[data-testid="file-row"][data-name="${name}"]`);
  const openDialog = () => page.locator('dialog[open]');
  const filesUrl = () => `${panel.url}/servers/${serverId}/files`;
  const names = async () => page.getByTestId('file-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));

  await step('a server with files, among them a link to /etc planted as the container would', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    api = new TestClient(panel.url);
    assert.equal((await api.login(ADMIN.username, ADMIN.password)).status, 200);
    const created = await api.post('/api/v1/servers', { name: 'Files', template: 'test-server' });
    assert.equal(created.status, 201, created.text);
    ({ id: serverId, shortId } = created.body.server);
    root = panel.services.servers.dataDirOf(serverId);
    mkdirSync(join(root, 'plugins', 'old'), { recursive: true });
    writeFileSync(join(root, 'server.properties'), 'motd=Hello\nmax-players=10\n');
    writeFileSync(join(root, 'plugins', 'old', 'a.txt'), 'old plugin\n');
    writeFileSync(join(root, 'world.dat'), Buffer.from([0, 1, 2, 3, 255]));
    symlinkSync('/etc', join(root, 'etc-link'));
  });

  await step('the Files tab lists folders first; the link is marked and offers no download or edit', async () => {
    await page.goto(`${panel.url}/servers/${serverId}`);
    await page.getByTestId('server-tab-files').click();
    await page.getByTestId('file-table').waitFor();
    assert.equal(new URL(page.url()).pathname, `/servers/${serverId}/files`);
    assert.deepEqual(await names(), ['plugins', 'etc-link', 'server.properties', 'world.dat']);
    assert.equal(await row('etc-link').getAttribute('data-type'), 'symlink');
    assert.match((await row('etc-link').textContent()) ?? '', /Link/);
    assert.equal(await row('etc-link').getByTestId('file-download').count(), 0);
    assert.equal(await row('etc-link').getByTestId('file-edit').count(), 0);
    assert.equal(await row('world.dat').getByTestId('file-download').count(), 1);
    // SFTP: the command to connect, and the host key's fingerprint as the API gives it.
    const endpoint = (await api!.get('/api/v1/sftp')).body;
    assert.equal((await page.getByTestId('sftp-command').textContent())?.trim(), `sftp -P ${endpoint.port} ${ADMIN.username}.${shortId}@127.0.0.1`);
    await page.getByTestId('sftp-card').locator('summary').click();
    assert.equal((await page.getByTestId('sftp-fingerprint').textContent())?.trim(), `ED25519 ${endpoint.hostKeyFingerprint}`);
    await shootThemes('files-list');
  });

  await step('three files dropped at once upload one after another, each with its progress bar, and land in the folder shown', async () => {
    await row('plugins').getByTestId('file-open-dir').click();
    await page.locator('[data-testid="file-path"][data-path="/plugins"]').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('path'), '/plugins');
    // Slow uploads down, so the progress between 0 and 100 % can be seen.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 3 * 1024 * 1024 });
    const transfer = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      const big = new Uint8Array(${BIG});
      for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) & 255;
      dt.items.add(new File([big], 'big.bin'));
      dt.items.add(new File(['name: Essentials\\n'], 'config.yml'));
      dt.items.add(new File([], 'empty.txt'));
      return dt;
    })()`);
    const zone = page.getByTestId('file-manager');
    await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await zone.dispatchEvent('dragover', { dataTransfer: transfer });
    await page.getByTestId('file-drop-hint').filter({ hasText: '/plugins' }).waitFor();
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByTestId('file-drop-hint').waitFor({ state: 'detached' });
    const items = page.getByTestId('upload-item');
    await items.first().waitFor();
    assert.equal(await items.count(), 3);
    // The big one is sent first; the others wait for it.
    await items.nth(0).locator('[data-testid="upload-state"]').filter({ hasText: /Uploading · ([1-9]|[1-9]\d) %/ }).waitFor();
    assert.equal(await items.nth(1).getAttribute('data-state'), 'queued');
    const midway = Number(await items.nth(0).getByTestId('upload-progress').getAttribute('value'));
    assert.ok(midway > 0 && midway < 100, `progress ${midway} %`);
    await screenshot(page, 'files-uploading-light');
    await page.locator('[data-testid="upload-item"][data-state="done"]').nth(2).waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.match((await page.getByTestId('uploads-summary').textContent()) ?? '', /^3 of 3 uploaded/);
    assert.equal(sha256(readFileSync(join(root, 'plugins', 'big.bin'))), sha256(bigBytes()));
    assert.equal(readFileSync(join(root, 'plugins', 'config.yml'), 'utf8'), 'name: Essentials\n');
    assert.equal(readFileSync(join(root, 'plugins', 'empty.txt')).length, 0);
    // The listing is read again after each upload: the last one's answer may still be on its way.
    await row('empty.txt').waitFor();
    assert.deepEqual(await names(), ['old', 'big.bin', 'config.yml', 'empty.txt']);
  });

  await step('two picked files: the one whose name is taken waits for Replace, the other goes in', async () => {
    writeFileSync(join(dir, 'config.yml'), 'name: Replaced\n');
    writeFileSync(join(dir, 'new.txt'), 'new\n');
    await page.getByTestId('files-upload-input').setInputFiles([join(dir, 'config.yml'), join(dir, 'new.txt')]);
    const conflict = page.locator('[data-testid="upload-item"][data-state="conflict"]');
    await conflict.waitFor();
    assert.match((await conflict.textContent()) ?? '', /config\.yml.*Already exists/s);
    assert.equal(readFileSync(join(root, 'plugins', 'config.yml'), 'utf8'), 'name: Essentials\n', 'nothing is replaced without asking');
    await conflict.getByTestId('upload-replace').click();
    await page.locator('[data-testid="upload-item"][data-state="done"]').nth(4).waitFor();
    assert.equal(readFileSync(join(root, 'plugins', 'config.yml'), 'utf8'), 'name: Replaced\n');
    assert.equal(readFileSync(join(root, 'plugins', 'new.txt'), 'utf8'), 'new\n');
    await page.getByRole('button', { name: 'Clear finished' }).click();
    await page.getByTestId('uploads').waitFor({ state: 'detached' });
  });

  await step('Download gives the file as it is, byte for byte', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), row('big.bin').getByTestId('file-download').click()]);
    assert.equal(download.suggestedFilename(), 'big.bin');
    const saved = join(dir, 'downloaded.bin');
    await download.saveAs(saved);
    assert.equal(sha256(readFileSync(saved)), sha256(bigBytes()));
  });

  await step('the editor opens a config file, saves it with Ctrl+S, and warns before replacing a change made underneath', async () => {
    await page.locator('[data-testid="file-path"] a').filter({ hasText: 'Files' }).click();
    await page.locator('[data-testid="file-path"][data-path="/"]').waitFor();
    await row('server.properties').getByTestId('file-open-text').click();
    const editor = page.getByTestId('editor-text');
    await editor.waitFor();
    assert.equal(await editor.inputValue(), 'motd=Hello\nmax-players=10\n');
    await editor.fill('motd=Welcome\nmax-players=20\n');
    await page.getByTestId('editor-dirty').waitFor();
    await editor.press('Control+s');
    await page.getByTestId('notice').filter({ hasText: 'Saved' }).waitFor();
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=Welcome\nmax-players=20\n');
    assert.equal(await page.getByTestId('editor-dirty').count(), 0);
    await shootThemes('files-editor');

    // The server rewrites the file while it is open: saving asks first, and Cancel keeps the server's version.
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(root, 'server.properties'), 'motd=Written by the server\n');
    await editor.fill('motd=Mine\n');
    await page.getByTestId('editor-save').click();
    await openDialog().filter({ hasText: 'changed since you opened it' }).waitFor();
    await openDialog().getByRole('button', { name: 'Cancel' }).click();
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=Written by the server\n');
    await page.getByTestId('editor-save').click();
    await openDialog().getByTestId('confirm-ok').click();
    await page.getByTestId('notice').filter({ hasText: 'Saved' }).waitFor();
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=Mine\n');
    await page.getByTestId('editor-close').click();
    await page.getByTestId('file-table').waitFor();
  });

  await step('a binary file is not opened as text', async () => {
    await row('world.dat').getByTestId('file-edit').click();
    await page.getByTestId('file-editor').getByTestId('error').filter({ hasText: 'not UTF-8 text' }).waitFor();
    await page.getByTestId('editor-close').click();
  });

  await step('Rename refuses a name that leaves the folder and changes nothing; a good name renames', async () => {
    await row('world.dat').getByTestId('file-rename').click();
    const dialog = openDialog();
    await dialog.getByTestId('prompt-value').fill('../../etc/passwd');
    await dialog.getByTestId('prompt-ok').click();
    await dialog.getByTestId('error').filter({ hasText: '".." cannot be used' }).waitFor();
    assert.ok(existsSync(join(root, 'world.dat')));
    await dialog.getByTestId('prompt-value').fill('world-backup.dat');
    await dialog.getByTestId('prompt-ok').click();
    await page.getByTestId('notice').filter({ hasText: 'world.dat is now /world-backup.dat' }).waitFor();
    assert.ok(!existsSync(join(root, 'world.dat')));
    assert.deepEqual(readFileSync(join(root, 'world-backup.dat')), Buffer.from([0, 1, 2, 3, 255]));
  });

  await step('two entries archived as a zip, and the zip extracted into a new folder', async () => {
    await row('plugins').getByTestId('file-select').check();
    await row('server.properties').getByTestId('file-select').check();
    await page.getByTestId('file-selection').filter({ hasText: '2 selected' }).waitFor();
    await page.getByTestId('files-archive').click();
    const dialog = openDialog();
    await dialog.getByTestId('prompt-value').fill('bundle');
    await dialog.getByTestId('archive-format').selectOption('zip');
    await dialog.getByTestId('prompt-ok').click();
    await page.getByTestId('notice').filter({ hasText: 'Archive bundle.zip made' }).waitFor();
    assert.ok(existsSync(join(root, 'bundle.zip')));
    await row('bundle.zip').getByTestId('file-extract').click();
    assert.equal(await openDialog().getByTestId('prompt-value').inputValue(), 'bundle');
    await openDialog().getByTestId('prompt-value').fill('unpacked');
    await openDialog().getByTestId('prompt-ok').click();
    await page.getByTestId('notice').filter({ hasText: /bundle\.zip extracted into \/unpacked: \d+ files/ }).waitFor();
    assert.equal(readFileSync(join(root, 'unpacked', 'server.properties'), 'utf8'), 'motd=Mine\n');
    assert.equal(sha256(readFileSync(join(root, 'unpacked', 'plugins', 'big.bin'))), sha256(bigBytes()));
    assert.equal(readFileSync(join(root, 'unpacked', 'plugins', 'old', 'a.txt'), 'utf8'), 'old plugin\n');
  });

  await step('New folder and Permissions; a folder is deleted with everything in it after confirming; the link itself only', async () => {
    await page.getByTestId('files-mkdir').click();
    await openDialog().getByTestId('prompt-value').fill('logs');
    await openDialog().getByTestId('prompt-ok').click();
    await row('logs').waitFor();
    await row('server.properties').getByTestId('file-chmod').click();
    await openDialog().getByTestId('prompt-value').fill('0600');
    await openDialog().getByTestId('prompt-ok').click();
    await page.getByTestId('notice').filter({ hasText: 'set to 0600' }).waitFor();
    await row('server.properties').locator('td.mono').filter({ hasText: /^0600$/ }).waitFor();
    assert.equal(statSync(join(root, 'server.properties')).mode & 0o777, 0o600);

    await row('unpacked').getByTestId('file-delete').click();
    await openDialog().filter({ hasText: 'everything in them' }).or(openDialog().filter({ hasText: 'everything in it' })).waitFor();
    await openDialog().getByTestId('confirm-ok').click();
    await row('unpacked').waitFor({ state: 'detached' });
    assert.ok(!existsSync(join(root, 'unpacked')));

    await row('etc-link').getByTestId('file-delete').click();
    await openDialog().filter({ hasText: 'never what it points to' }).waitFor();
    await openDialog().getByTestId('confirm-ok').click();
    await row('etc-link').waitFor({ state: 'detached' });
    assert.ok(existsSync('/etc/hostname') || existsSync('/etc/passwd'), '/etc is untouched');
    const events = ((await api!.get('/api/v1/audit?type=file.*&limit=100')).body.items as Array<{ type: string }>).map((e) => e.type);
    for (const type of ['file.written', 'file.renamed', 'file.archived', 'file.extracted', 'file.mkdir', 'file.chmod', 'file.deleted']) assert.ok(events.includes(type), `${type} audited`);
  });

  await step('Backups tab: back up now with its progress; a change is undone by restoring the backup', async () => {
    await page.getByTestId('server-tab-backups').click();
    await page.getByTestId('server-backups-empty').waitFor();
    await page.getByTestId('server-backup-start').click();
    await page.locator('[data-testid="backup-job"][data-state="done"]').waitFor();
    await page.getByTestId('server-backup-row').waitFor();
    writeFileSync(join(root, 'server.properties'), 'motd=Broken\n');
    await page.getByTestId('server-backup-restore').click();
    await page.locator('[data-testid="confirm-dialog"][open]').getByTestId('confirm-ok').click();
    await page.getByTestId('notice').filter({ hasText: /^Restored: \d+ file/ }).waitFor();
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=Mine\n');
    await screenshot(page, 'server-backups-light');
    await page.getByTestId('server-tab-files').click();
    await page.getByTestId('file-table').waitFor();
  });

  await step('a user with only server.files.view browses and views, and is offered no change', async () => {
    const role = await api!.post('/api/v1/roles', { name: 'file-reader', description: 'reads files', scopes: ['server.view', 'server.files.view'] });
    assert.equal(role.status, 201, role.text);
    const reader = await createUser(panel, api!, []);
    assert.equal((await api!.put(`/api/v1/users/${reader.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] })).status, 200);
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
    const readerProblems = await watchContext(other);
    const p = await other.newPage();
    p.setDefaultTimeout(20_000);
    await p.goto(`${panel.url}/login`);
    await p.getByTestId('login-username').fill(reader.username);
    await p.getByTestId('login-password').fill(reader.password);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    await p.goto(filesUrl());
    await p.getByTestId('file-table').waitFor();
    assert.equal(await p.getByTestId('files-upload').count(), 0);
    assert.equal(await p.getByTestId('file-delete').count(), 0);
    assert.equal(await p.getByTestId('file-select').count(), 0);
    assert.equal(await p.getByTestId('sftp-card').count(), 0, 'no server.sftp, no SFTP details');
    await p.locator('[data-testid="file-row"][data-name="server.properties"]').getByTestId('file-edit').filter({ hasText: 'View' }).click();
    await p.getByTestId('editor-text').waitFor();
    assert.equal(await p.getByTestId('editor-text').getAttribute('readonly'), '');
    assert.equal(await p.getByTestId('editor-save').count(), 0);
    await p.getByTestId('editor-close').click();
    // The Files tab exists only for those who may read files.
    const stranger = await createUser(panel, api!, []);
    const viewer = await api!.post('/api/v1/roles', { name: 'viewer-only', description: 'sees servers', scopes: ['server.view'] });
    assert.equal((await api!.put(`/api/v1/users/${stranger.id}/roles`, { roles: [{ roleId: viewer.body.role.id, serverId }] })).status, 200);
    const s = await stranger.client.get(`/api/v1/servers/${serverId}/files`);
    assert.equal(s.status, 403);
    await other.close();
    assert.deepEqual(readerProblems.pageErrors, []);
  });

  await step('My account: an SSH key and an app password are added with the password; the OpenSSH client gets in with each', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'laptop', '-f', join(dir, 'id_ed25519')]);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'id_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1]!;
    await page.goto(`${panel.url}/account`);
    await page.getByTestId('sftp-access').waitFor();
    await page.getByTestId('ssh-keys-empty').waitFor();
    await page.getByTestId('ssh-key-public').fill(readFileSync(join(dir, 'id_ed25519.pub'), 'utf8'));
    await page.getByTestId('ssh-key-password').fill('not my password');
    await page.getByTestId('ssh-key-add').click();
    await page.getByTestId('ssh-key-form').getByTestId('error').waitFor();
    assert.equal(await page.getByTestId('ssh-key-row').count(), 0);
    await page.getByTestId('ssh-key-password').fill(ADMIN.password);
    await page.getByTestId('ssh-key-add').click();
    await page.getByTestId('ssh-key-row').waitFor();
    assert.equal((await page.getByTestId('ssh-key-fingerprint').textContent())?.trim(), fingerprint);

    await page.getByTestId('sftp-password-name').fill('FileZilla');
    await page.getByTestId('sftp-password-current').fill(ADMIN.password);
    await page.getByTestId('sftp-password-create').click();
    const value = ((await page.getByTestId('sftp-password-value').textContent()) ?? '').trim();
    assert.match(value, /^aether_sftp_/);
    await shootThemes('account-sftp');
    await page.getByTestId('sftp-password-done').click();
    assert.equal(await page.getByTestId('sftp-password-value').count(), 0, 'shown once');

    const port = panel.sftpPort()!;
    const login = `${ADMIN.username}.${shortId}`;
    const byKey = await runSftp({ dir, port, user: login, commands: ['ls'], auth: { key: join(dir, 'id_ed25519') } });
    assert.equal(byKey.code, 0, byKey.out);
    assert.match(byKey.out, /server\.properties/);
    const byApp = await runSftp({ dir, port, user: login, commands: ['ls plugins'], auth: { password: value } });
    assert.equal(byApp.code, 0, byApp.out);
    assert.match(byApp.out, /big\.bin/);

    // Revoked in the page: the client is shut out.
    await page.getByTestId('sftp-password-revoke').click();
    await page.getByTestId('notice').filter({ hasText: 'FileZilla revoked' }).waitFor();
    const after = await runSftp({ dir, port, user: login, commands: ['ls'], auth: { password: value } });
    assert.notEqual(after.code, 0, after.out);
  });

  await step('Users: an administrator reviews a user\'s SFTP access and removes the key, which then no longer signs in', async () => {
    await page.goto(`${panel.url}/users`);
    await page.getByRole('button', { name: `SFTP access of ${ADMIN.username}` }).click();
    const card = page.getByTestId('user-sftp-credentials');
    const key = card.locator('[data-testid="user-sftp-credential"][data-kind="key"]');
    await key.waitFor();
    assert.match((await key.textContent()) ?? '', /laptop.*SHA256:/s);
    assert.equal(await card.locator('[data-testid="user-sftp-credential"][data-kind="app"]').count(), 0, 'the revoked app password is gone');
    await screenshot(page, 'users-sftp-access-light');
    await key.getByTestId('user-sftp-remove').click();
    await card.getByTestId('notice').filter({ hasText: 'removed' }).waitFor();
    await card.locator('.empty').waitFor();
    const byKey = await runSftp({ dir, port: panel.sftpPort()!, user: `${ADMIN.username}.${shortId}`, commands: ['ls'], auth: { key: join(dir, 'id_ed25519') } });
    assert.notEqual(byKey.code, 0, byKey.out);
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
