// Web UI in a real browser against a real panel: first-admin setup, user creation, an auditor's limits, logout, CSP and screenshots.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { fileSize, goTo, logout, needsChromium, panelWithBrowser, screenshot, settled, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN } from '../helpers/fixtures.ts';

// Page-side globals used by the functions passed to page.evaluate (the project compiles without the DOM library).
declare const window: { innerWidth: number; inlineRan?: boolean };
declare const document: {
  head: { append(node: unknown): void };
  createElement(tag: 'script'): { textContent: string };
  documentElement: { scrollWidth: number };
  activeElement: { getAttribute(name: string): string | null } | null;
};

const AUDITOR = { username: 'ada-auditor', email: 'ada@example.test', password: 'Quiet-Ledger-Review-42' };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * Console errors a correct run produces: the browser logs each 401/403 answer, also those the UI expects and handles
 * (the session probe while signed out, the wrong password, the auditor's forbidden POST /users).
 */
const EXPECTED_CONSOLE_ERRORS = [
  /^Failed to load resource: the server responded with a status of 401 \(Unauthorized\) \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/(session|login)\)$/,
  /^Failed to load resource: the server responded with a status of 403 \(Forbidden\) \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users\)$/,
];

test('web UI in chromium: setup, users, an auditor who can read but not write, logout', { timeout: 180_000 }, async (t) => {
  if (!needsChromium(t)) return;
  const { panel, browser } = await panelWithBrowser(t);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const url = (path: string) => panel.url + path;
  const shots: string[] = [];

  /** Light and dark full-page screenshots of the page as it is now. */
  const shootThemes = async (name: string) => {
    await settled(page);
    shots.push(await screenshot(page, `${name}-light`));
    await page.emulateMedia({ colorScheme: 'dark' });
    shots.push(await screenshot(page, `${name}-dark`));
    await page.emulateMedia({ colorScheme: 'light' });
  };

  const step = stepper(t);

  await step('the CSP watcher itself reports a violation (self-check)', async () => {
    const canary = await browser.newContext();
    try {
      const seen = await watchContext(canary);
      const p = await canary.newPage();
      await p.goto(url('/login'));
      await p.getByTestId('login-username').waitFor();
      await p.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true;';
        document.head.append(script);
      });
      for (let i = 0; i < 50 && seen.csp.length < 2; i += 1) await p.waitForTimeout(50);
      assert.equal(await p.evaluate(() => window.inlineRan ?? false), false, 'inline script ran despite the CSP');
      assert.ok(seen.csp.some((v) => v.startsWith('event: script-src')), `no securitypolicyviolation event seen: ${JSON.stringify(seen.csp)}`);
      assert.ok(seen.csp.some((v) => v.startsWith('console: ')), `no CSP console message seen: ${JSON.stringify(seen.csp)}`);
    } finally {
      await canary.close();
    }
  });

  await step('first administrator through the one-time setup link', async () => {
    const token = await panel.services.setup.issueToken();
    assert.ok(token, 'a fresh panel issues a setup token');
    await page.goto(url(`/setup?token=${encodeURIComponent(token)}`));
    await page.getByTestId('setup-username').waitFor();
    assert.equal(await page.getByTestId('page-title').textContent(), 'Create the administrator');
    await shootThemes('setup');

    await page.getByTestId('setup-username').fill(ADMIN.username);
    await page.getByTestId('setup-email').fill(ADMIN.email);
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-password2').fill(ADMIN.password);
    await page.getByTestId('setup-submit').click();

    await page.waitForURL(url('/'));
    await page.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
    assert.equal(await page.getByTestId('current-user').textContent(), ADMIN.username);
  });

  await step('logout leads to the login page', async () => {
    await logout(page);
    await shootThemes('login');
  });

  await step('a wrong password shows the server\'s error message', async () => {
    await page.getByTestId('login-username').fill(ADMIN.username);
    await page.getByTestId('login-password').fill('Not-The-Right-Password-7');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url() === url('/api/v1/auth/login') && r.request().method() === 'POST'),
      page.getByTestId('login-submit').click(),
    ]);
    assert.equal(res.status(), 401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_credentials');
    const error = page.getByTestId('error');
    await error.waitFor();
    assert.equal((await error.textContent())?.trim(), body.error.message);
    assert.equal(await page.getByTestId('login-password').inputValue(), '', 'the password field is emptied after a failed sign-in');
    assert.equal(new URL(page.url()).pathname, '/login');
    shots.push(await screenshot(page, 'login-error-light'));
  });

  await step('the administrator signs in', async () => {
    await login(page, ADMIN.username, ADMIN.password);
    assert.equal(await page.getByTestId('current-user').textContent(), ADMIN.username);
  });

  await step('the administrator creates an auditor on the Users page', async () => {
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId(`user-row-${ADMIN.username}`).waitFor();
    await page.getByTestId('user-new').click();

    await page.getByTestId('user-form-username').fill(AUDITOR.username);
    await page.getByTestId('user-form-email').fill(AUDITOR.email);
    await page.getByTestId('user-form-password').fill(AUDITOR.password);
    // The role options arrive with GET /roles; selectOption waits for the option to exist.
    await page.getByTestId('user-form-role').selectOption({ label: 'auditor' });
    await page.getByTestId('user-form-submit').click();

    const row = page.getByTestId(`user-row-${AUDITOR.username}`);
    await row.waitFor();
    const cells = await row.locator('th, td').allTextContents();
    assert.deepEqual(cells.slice(0, 4), [AUDITOR.username, AUDITOR.email, 'auditor', 'Active']);
    assert.equal(await page.getByTestId('notice').textContent(), `User ${AUDITOR.username} was created.`);
    assert.equal(await page.getByTestId('user-form').count(), 0, 'the form closes after creating the user');

    // The record in the database, not only the table in the page.
    const created = (await panel.services.users.list({ limit: 10 })).find((u) => u.username === AUDITOR.username);
    assert.ok(created, 'the auditor exists in the database');
    assert.deepEqual(created.roles.map((r) => r.roleName), ['auditor']);
  });

  await step('screenshots of every main page as the administrator', async () => {
    await shootThemes('users');
    await goTo(page, 'nav-roles', 'Roles', 'roles-list');
    await shootThemes('roles');
    await goTo(page, 'nav-audit', 'Audit log', 'audit-table');
    await shootThemes('audit');
    await goTo(page, 'nav-account', 'My account', 'session-current');
    await shootThemes('account');
    await goTo(page, 'nav-settings', 'Settings', 'allowlist-form');
    assert.equal(await page.getByTestId('your-ip').textContent(), '127.0.0.1');
    await shootThemes('settings');
    await goTo(page, 'nav-dashboard', 'Dashboard');
    await shootThemes('dashboard');

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the phone-width dashboard scrolls sideways by ${overflow}px`);
      const brand = await page.locator('.topbar .brand').boundingBox();
      const user = await page.getByTestId('current-user').boundingBox();
      assert.ok(brand && user && brand.x + brand.width <= user.x, `the product name runs into the user name: ${JSON.stringify({ brand, user })}`);
      shots.push(await screenshot(page, 'dashboard-phone-light'));
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  await step('the auditor signs in with the keyboard alone', async () => {
    await logout(page);
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
    for (let i = 0; i < 10 && (await focused()) !== 'login-username'; i += 1) await page.keyboard.press('Tab');
    assert.equal(await focused(), 'login-username', 'Tab reaches the username field');
    await page.keyboard.type(AUDITOR.username);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'login-password', 'Tab moves on to the password field');
    await page.keyboard.type(AUDITOR.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('current-user').waitFor();
    assert.equal(await page.getByTestId('current-user').textContent(), AUDITOR.username);
    assert.equal(await page.getByTestId('nav-audit').count(), 1);
    assert.equal(await page.getByTestId('nav-users').count(), 1);
  });

  await step('the auditor reads the audit log', async () => {
    await goTo(page, 'nav-audit', 'Audit log', 'audit-table');
    const rows = page.getByTestId('audit-row');
    assert.ok((await rows.count()) > 0, 'the audit table has rows');
    // Setup records the administrator's own user.created; the second one is the auditor's, by the administrator.
    const created = await Promise.all((await rows.filter({ hasText: 'user.created' }).all()).map((row) => row.locator('td').allTextContents()));
    const targets = created.map((cells) => cells[4]).sort();
    assert.deepEqual(targets, [`user: ${AUDITOR.username}`, `user: ${ADMIN.username}`].sort());
    const cells = created.find((c) => c[4] === `user: ${AUDITOR.username}`)!;
    assert.deepEqual([cells[1], cells[2], cells[3], cells[5]], ['user.created', ADMIN.username, '127.0.0.1', 'success']);
  });

  await step('the auditor cannot create users, in the UI or through the API', async () => {
    await goTo(page, 'nav-users', 'Users', 'users-table');
    await page.getByTestId(`user-row-${AUDITOR.username}`).waitFor();
    await page.getByTestId(`user-row-${ADMIN.username}`).waitFor();
    assert.equal(await page.getByTestId('user-new').count(), 0, 'no New user button');
    assert.equal(await page.getByTestId('user-edit').count(), 0, 'no Edit buttons');

    const answer = await page.evaluate(async () => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body: JSON.stringify({ username: 'sneaky', email: 'sneaky@example.test', password: 'Sneaky-Little-Pass-99', roles: [] }),
      });
      const users = (await (await fetch('/api/v1/users')).json()) as { items: Array<{ username: string }> };
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } }, usernames: users.items.map((u) => u.username) };
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'forbidden', 'refused for the missing scope, not for CSRF');
    assert.match(answer.body.error.message, /users\.edit/);
    assert.deepEqual(answer.usernames.sort(), [AUDITOR.username, ADMIN.username].sort());
  });

  await step('the auditor sees the allowlist but cannot change it', async () => {
    await goTo(page, 'nav-settings', 'Settings', 'allowlist-input');
    assert.equal(await page.getByTestId('allowlist-input').getAttribute('readonly'), '', 'the list is read-only');
    assert.equal(await page.getByTestId('allowlist-save').count(), 0, 'no Save button');
  });

  await step('logout ends the session; / shows the login page again', async () => {
    await logout(page);
    await page.goto(url('/'));
    await page.waitForURL(url('/login'));
    await page.getByTestId('login-username').waitFor();
    assert.equal(await page.getByTestId('current-user').count(), 0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert.equal(status, 401, 'the server session is gone too');
  });

  await step('no CSP violation, page error or unexpected console error during the run', async () => {
    assert.deepEqual(problems.csp, [], 'CSP violations');
    assert.deepEqual(problems.pageErrors, [], 'uncaught errors in the page');
    assert.deepEqual(problems.consoleErrors.filter((e) => !EXPECTED_CONSOLE_ERRORS.some((re) => re.test(e))), [], 'unexpected console errors');
  });

  await step('every screenshot was saved', async () => {
    const names = shots.map((p) => p.split('/').pop());
    for (const page of ['setup', 'login', 'dashboard', 'users', 'roles', 'audit', 'account', 'settings']) {
      assert.ok(names.includes(`${page}-light.png`), `${page}-light.png`);
      assert.ok(names.includes(`${page}-dark.png`), `${page}-dark.png`);
    }
    assert.ok(names.includes('dashboard-phone-light.png'));
    for (const path of shots) {
      assert.ok(fileSize(path) > 0, `${path} is missing or empty`);
      assert.deepEqual(readFileSync(path).subarray(0, 8), PNG_SIGNATURE, `${path} is not a PNG`);
    }
  });
});

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
}
