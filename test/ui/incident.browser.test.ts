// Incident response in chromium: the review lists recent changes; the lockdown (with the password again) signs others
// out, requires a new password of a chosen user and turns maintenance mode on; that user is kept out, then let in
// and sent to the forced password change before anything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { goTo, needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN, createUser } from '../helpers/fixtures.ts';

test('Incident response in chromium: review, lockdown with maintenance, a forced new password', { timeout: 120_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const { panel, browser } = await panelWithBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const step = stepper(t);
  let alice: Awaited<ReturnType<typeof createUser>>;

  await step('the review lists the users created lately', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    const api = new TestClient(panel.url);
    assert.equal((await api.login(ADMIN.username, ADMIN.password)).status, 200);
    alice = await createUser(panel, api, ['auditor']);
    await goTo(page, 'nav-incident', 'Incident response', 'lockdown-form');
    const created = page.getByTestId('review-users_created');
    await created.getByTestId('review-item').filter({ hasText: alice.username }).waitFor();
    assert.equal(await page.getByTestId('review-new_networks').count(), 1);
  });

  await step('Lock down: a chosen user must choose a new password, maintenance on; the report says what was done', async () => {
    await page.getByTestId('lockdown-password-reset').selectOption('chosen');
    await page.getByTestId(`lockdown-user-${alice.username}`).check();
    assert.equal(await page.getByTestId('lockdown-maintenance').isChecked(), true);
    await page.getByTestId('lockdown-password').fill(ADMIN.password);
    await page.getByTestId('lockdown-submit').click();
    await page.locator('[data-testid="confirm-dialog"][open]').getByTestId('confirm-ok').click();
    await page.getByTestId('lockdown-report').waitFor();
    assert.match((await page.getByTestId('lockdown-step-passwords').textContent()) ?? '', /^1 user\(s\) must choose a new password/);
    assert.match((await page.getByTestId('lockdown-step-sessions').textContent()) ?? '', /session\(s\) ended \(yours stays\)/);
    await page.getByTestId('maintenance-on').waitFor();
    assert.equal((await alice.client.get('/api/v1/users/me')).status, 401, 'alice was signed out');
    await settled(page);
    await screenshot(page, 'incident-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'incident-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('during maintenance alice is kept out with a clear reason', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
    const p = await other.newPage();
    await p.goto(`${panel.url}/login`);
    await p.getByTestId('login-username').fill(alice.username);
    await p.getByTestId('login-password').fill(alice.password);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('error').filter({ hasText: 'maintenance mode' }).waitFor();
    await other.close();
  });

  await step('maintenance off; alice signs in and must choose a new password before anything else', async () => {
    await page.getByTestId('maintenance-off').click();
    await page.getByTestId('maintenance-on').waitFor({ state: 'detached' });
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
    const p = await other.newPage();
    await p.goto(`${panel.url}/login`);
    await p.getByTestId('login-username').fill(alice.username);
    await p.getByTestId('login-password').fill(alice.password);
    await p.getByTestId('login-submit').click();
    await p.getByTestId('forced-password-change').waitFor();
    await screenshot(p, 'forced-password-change-light');
    await p.getByTestId('forced-password-current').fill(alice.password);
    await p.getByTestId('forced-password-new').fill(alice.password);
    await p.getByTestId('forced-password-confirm').fill(alice.password);
    await p.getByTestId('forced-password-submit').click();
    await p.getByTestId('error').filter({ hasText: 'must differ' }).waitFor();
    await p.getByTestId('forced-password-new').fill('Brand-New-Password-2026');
    await p.getByTestId('forced-password-confirm').fill('Brand-New-Password-2026');
    await p.getByTestId('forced-password-submit').click();
    await p.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    await other.close();
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
