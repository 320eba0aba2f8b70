// The Security checklist in chromium: the dashboard card's counts, the page with every item (status, reason, fix),
// Check again; only administrators are offered either.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECK_IDS } from '../../src/check/index.ts';
import { TestClient } from '../helpers/client.ts';
import { goTo, needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN, createUser } from '../helpers/fixtures.ts';

test('Security checklist in chromium: dashboard card, every item with its status, check again', { timeout: 180_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const { panel, browser } = await panelWithBrowser(t, { checklist: { releaseFeedUrl: null } });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const step = stepper(t);

  await step('the dashboard card counts the items, as the API does', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    const card = page.getByTestId('dashboard-checklist');
    await card.getByTestId('dashboard-checklist-pass').waitFor();
    const report = await panel.services.checklist.report();
    assert.equal(await card.getByTestId('dashboard-checklist-fail').textContent(), String(report.summary.fail));
    assert.equal(await card.getByTestId('dashboard-checklist-warn').textContent(), String(report.summary.warn));
    assert.equal(await card.getByTestId('dashboard-checklist-pass').textContent(), String(report.summary.pass));
    assert.ok(report.summary.fail > 0, 'the administrator has no 2FA yet: at least that item fails');
  });

  await step('the card links to the page, which shows every item with its status badge, reason and fix', async () => {
    await page.getByTestId('dashboard-checklist').getByRole('link', { name: 'Security checklist' }).click();
    await page.getByTestId('page-title').filter({ hasText: 'Security checklist' }).waitFor();
    await page.getByTestId('checklist-items').waitFor();
    const items = page.getByTestId('check-item');
    assert.equal(await items.count(), CHECK_IDS.length);
    assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), [...CHECK_IDS]);
    const twoFa = page.locator('[data-testid="check-item"][data-id="admin-2fa"]');
    assert.equal(await twoFa.getAttribute('data-status'), 'fail');
    assert.equal(await twoFa.getByTestId('check-status').textContent(), 'Fail');
    assert.match((await twoFa.getByTestId('check-reason').textContent()) ?? '', /sign in without 2FA: root-admin\./);
    assert.match((await twoFa.getByTestId('check-fix').textContent()) ?? '', /^How to fix: .*My account/);
    const policy = page.locator('[data-testid="check-item"][data-id="password-policy"]');
    assert.equal(await policy.getByTestId('check-status').textContent(), 'Pass');
    assert.equal(await policy.getByTestId('check-fix').count(), 0);
    assert.equal(await page.getByTestId('nav-checklist').getAttribute('aria-current'), 'page');
    await settled(page);
    await screenshot(page, 'checklist-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'checklist-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('Check again runs the checks anew once 2FA is no longer the problem', async () => {
    // An allowlist for the address the browser comes from turns that item from warn to pass on the fresh run.
    await panel.db('settings').insert({ key: 'admin_allowlist', value: JSON.stringify(['127.0.0.1/32']), updated_at: Date.now() });
    const allowlist = page.locator('[data-testid="check-item"][data-id="admin-ip-allowlist"]');
    assert.equal(await allowlist.getAttribute('data-status'), 'warn');
    await page.getByTestId('checklist-refresh').click();
    await page.locator('[data-testid="check-item"][data-id="admin-ip-allowlist"][data-status="pass"]').waitFor();
    assert.match((await allowlist.getByTestId('check-reason').textContent()) ?? '', /127\.0\.0\.1\/32/);
  });

  await step('an auditor is offered neither the page nor the card, and the API refuses them', async () => {
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
    assert.equal(await p.getByTestId('nav-checklist').count(), 0);
    assert.equal(await p.getByTestId('dashboard-checklist').count(), 0);
    assert.equal((await auditor.client.get('/api/v1/security/checklist')).status, 403);
    await other.close();
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
