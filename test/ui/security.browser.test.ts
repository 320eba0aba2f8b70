// The Security pages in chromium: a brute force banned by the monitor shows as a detection with its evidence and as a ban; lift it, ban by hand, read the rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { goTo, needsChromium, panelWithBrowser, setupAdminInBrowser, screenshot, settled, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN } from '../helpers/fixtures.ts';

test('Security pages in chromium: detections with evidence, bans (lift, add), rules, known addresses', { timeout: 180_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const { panel, browser } = await panelWithBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const step = stepper(t);

  await step('the administrator signs in; 127.0.0.2 brute-forces the login and is banned', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    const attacker = new TestClient(panel.url, { localAddress: '127.0.0.2' });
    for (let i = 0; i < 10; i += 1) await attacker.login(ADMIN.username, `Wrong-Guess-${i}-x`);
    await panel.services.monitor.settled();
    assert.equal((await attacker.get('/api/v1/setup/status')).status, 403);
  });

  await step('the detection is listed, and its evidence opens', async () => {
    await goTo(page, 'nav-security', 'Security', 'detections-table');
    const row = page.getByTestId('detection-row').filter({ hasText: 'panel-login-brute-force' }).first();
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /127\.0\.0\.2/);
    await row.click();
    const evidence = page.getByTestId('detection-evidence').first();
    await evidence.waitFor();
    assert.match((await evidence.textContent()) ?? '', /\/api\/v1\/auth\/login/);
    await settled(page);
    await screenshot(page, 'security-detections-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'security-detections-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('the ban is listed with its rule and refused requests, and lifting it lets 127.0.0.2 in again', async () => {
    await page.getByTestId('security-tab-bans').click();
    const row = page.getByTestId('ban-row-127.0.0.2');
    await row.waitFor();
    assert.match((await row.getByTestId('ban-origin').textContent()) ?? '', /panel-login-brute-force/);
    await settled(page);
    await screenshot(page, 'security-bans-light');
    await row.getByTestId('ban-lift').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('notice').waitFor();
    // The notice can show before the modal dialog has closed; the form behind it takes input only after.
    await page.getByTestId('confirm-dialog').waitFor({ state: 'hidden' });
    assert.equal((await new TestClient(panel.url, { localAddress: '127.0.0.2' }).get('/api/v1/setup/status')).status, 200);
  });

  await step('a manual ban from the form takes effect at once; the own address is refused with a clear message', async () => {
    await page.getByTestId('ban-form-ip').fill('127.0.0.1');
    await page.getByTestId('ban-form-reason').fill('testing');
    const [own] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/monitor/bans') && r.request().method() === 'POST'),
      page.getByTestId('ban-form-submit').click(),
    ]);
    assert.equal(own.status(), 409, await own.text());
    assert.equal(((await own.json()) as { error: { code: string } }).error.code, 'own_address');
    await page.getByTestId('ban-form').getByTestId('error').filter({ hasText: /your own address/ }).waitFor();
    await page.getByTestId('ban-form-ip').fill('127.0.0.3');
    await page.getByTestId('ban-form-minutes').fill('30');
    await page.getByTestId('ban-form-reason').fill('port scan from the lab network');
    await page.getByTestId('ban-form-submit').click();
    await page.getByTestId('ban-row-127.0.0.3').waitFor();
    assert.equal((await new TestClient(panel.url, { localAddress: '127.0.0.3' }).get('/api/v1/setup/status')).status, 403);
  });

  await step('the rules are listed with their files', async () => {
    await page.getByTestId('security-tab-rules').click();
    const row = page.getByTestId('rule-row-panel-login-brute-force');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /panel\.yml/);
    assert.equal((await row.getByTestId('rule-detections').textContent())?.trim(), '1');
    await settled(page);
    await screenshot(page, 'security-rules-light');
  });

  await step('the users page shows where a user signed in from', async () => {
    await goTo(page, 'nav-users', 'Users', 'users-table');
    await page.getByTestId(`user-row-${ADMIN.username}`).getByTestId('user-known-ips').click();
    const list = page.getByTestId('known-ips-list');
    await list.waitFor();
    assert.match((await list.textContent()) ?? '', /127\.0\.0\.1/);
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
