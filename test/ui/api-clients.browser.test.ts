// The API clients page in chromium: create a client, use the secret shown once, see its last use, regenerate the secret, delete it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goTo, needsChromium, panelWithBrowser, setupAdminInBrowser, screenshot, settled, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN } from '../helpers/fixtures.ts';
import { bearer, requestToken } from '../helpers/oauth.ts';

test('API clients in chromium: create, use the secret, regenerate, delete', { timeout: 180_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const { panel, browser } = await panelWithBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const step = stepper(t);
  let creds = { clientId: '', clientSecret: '' };

  await step('the administrator opens API clients', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    await goTo(page, 'nav-api-clients', 'API clients', 'client-new');
  });

  await step('a new client with one scope shows its secret once, with a curl example', async () => {
    await page.getByTestId('client-new').click();
    await page.getByTestId('client-form-name').fill('nightly-report');
    await page.getByTestId('client-form-scope-users.view').check();
    await page.getByTestId('client-form-ips').fill('127.0.0.0/8');
    await page.getByTestId('client-form-submit').click();
    await page.getByTestId('client-secret-panel').waitFor();
    creds = {
      clientId: ((await page.getByTestId('client-secret-id').textContent()) ?? '').trim(),
      clientSecret: ((await page.getByTestId('client-secret').textContent()) ?? '').trim(),
    };
    assert.match(creds.clientId, /^ac-[0-9a-f]{24}$/);
    assert.match(creds.clientSecret, /^acs_[A-Za-z0-9_-]{43}$/);
    const curl = (await page.getByTestId('client-secret-curl').textContent()) ?? '';
    assert.ok(curl.includes(`${panel.url}/oauth2/token`), curl);
    await settled(page);
    await screenshot(page, 'api-clients-secret-light');
    await page.getByTestId('client-secret-done').click();
    assert.equal(await page.getByTestId('client-secret-panel').count(), 0, 'the secret is gone from the page');
  });

  await step('the secret from the page gets a token that lists users; the row shows the use', async () => {
    const res = await requestToken(panel.url, creds);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.scope, 'users.view');
    assert.equal((await bearer(panel.url, res.body.access_token, 'GET', '/api/v1/users')).status, 200);
    await page.reload();
    const row = page.getByTestId('client-row-nightly-report');
    await row.waitFor();
    assert.match((await row.getByTestId('client-last-used').textContent()) ?? '', /127\.0\.0\.1/);
    assert.equal((await row.getByTestId('client-active-tokens').textContent())?.trim(), '1');
    await settled(page);
    await screenshot(page, 'api-clients-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'api-clients-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('regenerating the secret shows a new one; the old one stops working', async () => {
    const row = page.getByTestId('client-row-nightly-report');
    await row.getByTestId('client-regenerate').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('client-secret-panel').waitFor();
    const fresh = ((await page.getByTestId('client-secret').textContent()) ?? '').trim();
    assert.notEqual(fresh, creds.clientSecret);
    assert.equal((await requestToken(panel.url, creds)).status, 401);
    assert.equal((await requestToken(panel.url, { ...creds, clientSecret: fresh })).status, 200);
    await page.getByTestId('client-secret-done').click();
  });

  await step('deleting the client removes it', async () => {
    const row = page.getByTestId('client-row-nightly-report');
    await row.getByTestId('client-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('clients-empty').waitFor();
    assert.equal((await panel.db('oauth_clients').select('id')).length, 0);
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
