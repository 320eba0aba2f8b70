// The Backups page in chromium: the dashboard card, a backup made by hand with its progress, verified, restore-tested,
// downloaded (still encrypted) and deleted; the page is offered only to holders of backups.manage.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { newIdentity, readBackup } from '../../src/backup/index.ts';
import { TestClient } from '../helpers/client.ts';
import { goTo, needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN, createUser } from '../helpers/fixtures.ts';

test('Backups in chromium: back up now with progress, verify, restore test, download, delete', { timeout: 120_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const admin = await newIdentity();
  const { panel, browser } = await panelWithBrowser(t, { backup: { recipients: [admin.recipient] } });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const step = stepper(t);
  let name = '';

  await step('the dashboard shows that no backup exists yet and no restore test ran', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    const card = page.getByTestId('dashboard-backups');
    await card.getByTestId('dashboard-backup-newest').filter({ hasText: 'None yet' }).waitFor();
    await card.getByTestId('restore-test-none').waitFor();
  });

  await step('Back up now: the progress is shown, then the backup is listed', async () => {
    await goTo(page, 'nav-backups', 'Backups', 'backups-empty');
    assert.match((await page.getByTestId('backup-encryption').textContent()) ?? '', /configured recipients/);
    await page.getByTestId('backup-start').click();
    await page.locator('[data-testid="backup-job"][data-state="done"]').waitFor();
    assert.match((await page.getByTestId('backup-job-text').textContent()) ?? '', /^Done: aether-.*-manual\.tar\.gz\.age \(/);
    const row = page.getByTestId('backup-row');
    await row.waitFor();
    name = (await row.getAttribute('data-name'))!;
    assert.match(name, /-manual\.tar\.gz\.age$/);
    assert.equal(await page.getByTestId('backup-progress').getAttribute('value'), '100');
  });

  await step('Verify checks every entry; the restore test passes and says what it found', async () => {
    await page.getByTestId('backup-verify').click();
    await page.getByTestId('notice').filter({ hasText: /is whole: \d+ files .* match their checksums/ }).waitFor();
    await page.getByTestId('restore-test-run').click();
    const result = page.locator('[data-testid="backup-settings"] [data-testid="restore-test-result"][data-ok="true"]');
    await result.waitFor();
    assert.match((await result.textContent()) ?? '', /Passed.*audit chain verifies.*1 user\(s\)/s);
    await settled(page);
    await screenshot(page, 'backups-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'backups-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('Download gives the backup as stored, which the administrator\'s identity opens', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-download').click()]);
    const saved = join(panel.dir, 'downloaded.tar.gz.age');
    await download.saveAs(saved);
    assert.ok(readFileSync(saved).equals(readFileSync(join(panel.config.paths.backupDir, name))));
    assert.equal((await readBackup(saved, { identities: [admin.identity] })).kind, 'panel');
  });

  await step('the dashboard shows the newest backup and the passed restore test', async () => {
    await goTo(page, 'nav-dashboard', 'Dashboard', 'dashboard-backups');
    await page.locator('[data-testid="dashboard-backups"] [data-testid="restore-test-result"][data-ok="true"]').waitFor();
    assert.doesNotMatch((await page.getByTestId('dashboard-backup-newest').textContent()) ?? '', /None yet|Not set up/);
  });

  await step('Delete, after confirming', async () => {
    await goTo(page, 'nav-backups', 'Backups', 'backups-table');
    await page.getByTestId('backup-delete').click();
    await page.locator('[data-testid="confirm-dialog"][open]').getByTestId('confirm-ok').click();
    await page.getByTestId('backups-empty').waitFor();
    await page.getByTestId('notice').filter({ hasText: `${name} was deleted.` }).waitFor();
  });

  await step('an auditor is not offered Backups, and the API refuses them', async () => {
    const api = new TestClient(panel.url);
    assert.equal((await api.login(ADMIN.username, ADMIN.password)).status, 200);
    const auditor = await createUser(panel, api, ['auditor']);
    const other = await browser.newContext();
    const p = await other.newPage();
    await p.goto(`${panel.url}/login`);
    await p.getByTestId('login-username').fill(auditor.username);
    await p.getByTestId('login-password').fill(auditor.password);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    assert.equal(await p.getByTestId('nav-backups').count(), 0);
    assert.equal(await p.getByTestId('dashboard-backups').count(), 0);
    assert.equal((await auditor.client.get('/api/v1/backups')).status, 403);
    await other.close();
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
