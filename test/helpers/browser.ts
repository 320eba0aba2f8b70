// Browser tests: a test panel serving the built web UI, and Debian's chromium (chromium.ts) to look at it.
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureUi } from '../../scripts/ui-build.js';
import { UI_ROOT } from '../../src/panel.ts';
import { launchChromium } from './chromium.ts';
import { startPanel, type TestPanel } from './panel.ts';

export * from './chromium.ts';

/** A panel serving the built web UI and a chromium to look at it, both closed after the test. */
export async function panelWithBrowser(t: TestContext, overrides: Record<string, unknown> = {}): Promise<{ panel: TestPanel; browser: Browser }> {
  ensureUi();
  const panel = await startPanel(overrides, { uiRoot: UI_ROOT });
  const browser = await launchChromium().catch(async (err: unknown) => {
    await panel.close();
    throw err;
  });
  t.after(async () => {
    await browser.close();
    await panel.close();
  });
  return { panel, browser };
}

/** Creates the first administrator through the one-time setup link in the page, and waits for the dashboard. */
export async function setupAdminInBrowser(page: Page, panel: TestPanel, admin: { username: string; email: string; password: string }): Promise<void> {
  const token = await panel.services.setup.issueToken();
  await page.goto(`${panel.url}/setup?token=${encodeURIComponent(token!)}`);
  await page.getByTestId('setup-username').fill(admin.username);
  await page.getByTestId('setup-email').fill(admin.email);
  await page.getByTestId('setup-password').fill(admin.password);
  await page.getByTestId('setup-password2').fill(admin.password);
  await page.getByTestId('setup-submit').click();
  await page.getByTestId('page-title').filter({ hasText: 'Dashboard' }).waitFor();
}

