// 2FA in a real browser: setup reading the manual key, sign-in with a code and with a recovery code (once only), the policy forcing a new admin through setup, the admin reset.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import { systemCaller } from '../../src/auth/caller.ts';
import { fileSize, goTo, logout, needsChromium, panelWithBrowser, setupAdminInBrowser, screenshot, settled, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN } from '../helpers/fixtures.ts';

const SECOND_ADMIN = { username: 'bea-admin', email: 'bea@example.test', password: 'Second-Admin-Pass-31' };
/** Answers the browser logs as errors although the UI expects them: the session probe, the wrong code, the reused recovery code. */
const EXPECTED_CONSOLE_ERRORS = [
  /^Failed to load resource: the server responded with a status of 401 \(Unauthorized\) \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/session\)$/,
  /^Failed to load resource: the server responded with a status of 400 \(Bad Request\) \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/(auth\/2fa|account\/2fa\/confirm)\)$/,
];

/**
 * Codes as an authenticator app shows them, each for a later time step than the one before (the panel accepts a
 * code once): the current step, or the next one (clock skew allows it), or after waiting for the step to come.
 */
function authenticator(secret: string) {
  let lastStep = 0;
  return async (): Promise<string> => {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(now, lastStep + 1);
      if (step <= now + 1) {
        lastStep = step;
        return generateSync({ secret, epoch: step * 30 });
      }
      await sleep(500);
    }
  };
}

test('2FA in chromium: setup from the manual key, code and recovery-code sign-in, forced setup under the admins policy, reset', { timeout: 240_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const { panel, browser } = await panelWithBrowser(t);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const url = (path: string) => panel.url + path;
  const step = stepper(t);
  const shots: string[] = [];
  let nextCode: () => Promise<string> = async () => '';
  let recoveryCodes: string[] = [];

  await step('the administrator is created through the setup link and opens My account', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    await goTo(page, 'nav-account', 'My account', 'twofa-status');
    assert.equal(await page.getByTestId('twofa-status').textContent(), 'Off');
  });

  await step('setup shows the QR code and the key; the key typed into an authenticator turns 2FA on', async () => {
    await page.getByTestId('twofa-setup-start').click();
    const qr = page.getByTestId('twofa-qr');
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    assert.ok(((await qr.boundingBox())?.width ?? 0) >= 150, 'the QR code is shown large enough to scan');
    const secret = ((await page.getByTestId('twofa-secret').textContent()) ?? '').replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    shots.push(await screenshot(page, '2fa-setup-light'));
    nextCode = authenticator(secret);

    // A wrong code first: an error, and 2FA stays off.
    await page.getByTestId('twofa-confirm-code').fill('000000');
    await page.getByTestId('twofa-confirm-submit').click();
    await page.getByTestId('error').waitFor();
    await page.getByTestId('twofa-confirm-code').fill(await nextCode());
    await page.getByTestId('twofa-confirm-submit').click();
    await page.getByTestId('recovery-codes').waitFor();
    recoveryCodes = (await page.getByTestId('recovery-code').allTextContents()).map((c) => c.trim());
    assert.equal(recoveryCodes.length, 10);
    for (const c of recoveryCodes) assert.match(c, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    shots.push(await screenshot(page, '2fa-recovery-codes-light'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recovery-codes-download').click()]);
    assert.equal(download.suggestedFilename(), 'aether-recovery-codes.txt');
    const text = readFileSync((await download.path())!, 'utf8');
    for (const c of recoveryCodes) assert.ok(text.includes(c), `the downloaded file lists ${c}`);

    await page.getByTestId('recovery-codes-done').click();
    await page.getByTestId('twofa-status').filter({ hasText: 'On' }).waitFor();
    await settled(page);
    shots.push(await screenshot(page, '2fa-account-on-light'));
    // What the server holds: 2FA on, and the secret only in encrypted form.
    const row = (await panel.db('user_totp').first()) as { secret_enc: string; confirmed_at: number | null };
    assert.ok(row.confirmed_at !== null);
    assert.equal(row.secret_enc.includes(secret), false);
  });

  await step('after logout, signing in takes the password and then a code', async () => {
    await logout(page);
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-code').waitFor();
    shots.push(await screenshot(page, '2fa-login-code-light'));
    await page.emulateMedia({ colorScheme: 'dark' });
    shots.push(await screenshot(page, '2fa-login-code-dark'));
    await page.emulateMedia({ colorScheme: 'light' });
    // The code step survives a reload.
    await page.reload();
    await page.getByTestId('login-code').fill(await nextCode());
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    assert.equal(await page.getByTestId('current-user').textContent(), ADMIN.username);
  });

  await step('a recovery code signs in once, and the page says so', async () => {
    await logout(page);
    await signInWithRecoveryCode(page, ADMIN.username, ADMIN.password, recoveryCodes[0]!);
    await page.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    const notice = await page.getByTestId('recovery-used-notice').textContent();
    assert.match(notice ?? '', /\b9\b/, `the notice counts the codes left: ${notice}`);
    shots.push(await screenshot(page, '2fa-recovery-used-light'));
    const [event] = await panel.services.audit.list({ type: 'auth.2fa.recovery_used', limit: 5 });
    assert.equal(event?.actor.name, ADMIN.username);
  });

  await step('the same recovery code fails the second time', async () => {
    await logout(page);
    await signInWithRecoveryCode(page, ADMIN.username, ADMIN.password, recoveryCodes[0]!);
    const error = page.getByTestId('error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /not valid, or it was already used/);
    assert.equal(await page.getByTestId('current-user').count(), 0, 'not signed in');
    assert.equal(await page.getByTestId('login-recovery-code').count(), 1, 'still on the code step');
    await page.getByTestId('login-cancel').click();
    await page.getByTestId('login-username').waitFor();
  });

  await step('the administrator requires 2FA for administrators in Settings', async () => {
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-code').fill(await nextCode());
    await page.getByTestId('login-code-submit').click();
    await page.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    await goTo(page, 'nav-settings', 'Settings', 'policy-2fa-form');
    await page.getByTestId('policy-2fa-select').selectOption('admins');
    await page.getByTestId('policy-2fa-save').click();
    await page.getByTestId('policy-2fa-effective').filter({ hasText: /admin/i }).waitFor();
    assert.equal((await panel.services.twoFactorPolicy.settings()).effective, 'admins');
    shots.push(await screenshot(page, '2fa-settings-light'));
  });

  await step('a new administrator is taken through 2FA setup before anything else', async () => {
    const admins = await panel.services.roles.getByName('admin');
    await panel.services.users.create(systemCaller('test'), { ...SECOND_ADMIN, roles: [{ roleId: admins.id, serverId: null }] });
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
    const otherProblems = await watchContext(other);
    try {
      const p = await other.newPage();
      p.setDefaultTimeout(15_000);
      await p.goto(url('/users'));
      await p.getByTestId('login-username').fill(SECOND_ADMIN.username);
      await p.getByTestId('login-password').fill(SECOND_ADMIN.password);
      await p.getByTestId('login-submit').click();
      await p.getByTestId('forced-2fa-setup').waitFor();
      assert.equal(await p.getByTestId('nav-users').count(), 0, 'no navigation before 2FA is set up');
      shots.push(await screenshot(p, '2fa-forced-setup-light'));
      // The server refuses everything else meanwhile, whatever the page shows.
      const refused = await p.evaluate(async () => {
        const res = await fetch('/api/v1/users');
        return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
      });
      assert.deepEqual(refused, { status: 403, code: 'two_factor_setup_required' });

      await p.getByTestId('twofa-setup-start').click();
      const secret = ((await p.getByTestId('twofa-secret').textContent()) ?? '').replace(/\s/g, '');
      await p.getByTestId('twofa-confirm-code').fill(await authenticator(secret)());
      await p.getByTestId('twofa-confirm-submit').click();
      await p.getByTestId('recovery-codes').waitFor();
      await p.getByTestId('recovery-codes-done').click();
      // On to the page first asked for.
      await p.getByTestId('page-title').filter({ hasText: 'Users' }).waitFor();
      assert.equal(await p.getByTestId('current-user').textContent(), SECOND_ADMIN.username);
      await p.getByTestId(`user-row-${SECOND_ADMIN.username}`).getByTestId('user-2fa').filter({ hasText: 'On' }).waitFor();
      assert.deepEqual(otherProblems.csp, []);
      assert.deepEqual(otherProblems.pageErrors, []);
    } finally {
      await other.close();
    }
  });

  await step('the users list shows who has 2FA, and the administrator resets it for the other one', async () => {
    await goTo(page, 'nav-users', 'Users', 'users-table');
    const row = page.getByTestId(`user-row-${SECOND_ADMIN.username}`);
    await row.getByTestId('user-2fa').filter({ hasText: 'On' }).waitFor();
    assert.equal((await page.getByTestId(`user-row-${ADMIN.username}`).getByTestId('user-2fa').textContent())?.trim(), 'On');
    shots.push(await screenshot(page, '2fa-users-light'));
    await row.getByTestId('user-reset-2fa').click();
    await page.getByTestId('confirm-ok').click();
    await row.getByTestId('user-2fa').filter({ hasText: 'Off' }).waitFor();
    const [event] = await panel.services.audit.list({ type: 'auth.2fa.reset_by_admin', limit: 5 });
    assert.equal(event?.target?.name, SECOND_ADMIN.username);
  });

  await step('no CSP violation, page error or unexpected console error during the run', async () => {
    assert.deepEqual(problems.csp, [], 'CSP violations');
    assert.deepEqual(problems.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(problems.consoleErrors.filter((e) => !EXPECTED_CONSOLE_ERRORS.some((re) => re.test(e))), [], 'unexpected console errors');
  });

  await step('every screenshot was saved', async () => {
    assert.equal(shots.length, 9);
    for (const path of shots) assert.ok(fileSize(path) > 0, `${path} is missing or empty`);
  });
});

async function signInWithRecoveryCode(page: Page, username: string, password: string, code: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-use-recovery').click();
  await page.getByTestId('login-recovery-code').fill(code);
  await page.getByTestId('login-code-submit').click();
}
