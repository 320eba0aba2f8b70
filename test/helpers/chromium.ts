// Chromium for tests: launches Debian's chromium through playwright-core, watches pages for CSP violations and errors,
// saves screenshots. Nothing here starts a panel (see browser.ts), so a test of a panel running elsewhere (the appliance
// image) uses it without a test database.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { needs } from './require-component.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The init script below runs in the page; the project compiles without the DOM library, so it types what it uses.
type CspViolationEvent = { effectiveDirective: string; blockedURI: string; documentURI: string };
declare const document: { addEventListener(type: 'securitypolicyviolation', listener: (e: CspViolationEvent) => void): void };
declare const window: { __aetherReportCsp?: (text: string) => void };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where browser tests leave their screenshots (git-ignored). */
export const SCREENSHOT_DIR = join(ROOT, 'test-artifacts', 'screenshots');

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Skips the test (or fails it under AETHER_TEST_REQUIRE_ALL=1) when chromium is not installed; see needs(). */
export function needsChromium(t: TestContext): boolean {
  return needs(t, 'chromium', chromiumInstalled(), `not found at ${CHROMIUM_PATH}: install Debian package chromium`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export type PageProblems = {
  /** Content-Security-Policy violations, from the console and from `securitypolicyviolation` events. */
  csp: string[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** Every console message of level error (CSP violations and failed requests included). */
  consoleErrors: string[];
};

const CSP_TEXT = /Content[ -]Security[ -]Policy|Refused to (load|execute|apply|connect|frame)/i;

/**
 * Records CSP violations, page errors and console errors of every page of the context, from the first document on.
 * Call before opening pages.
 */
export async function watchContext(context: BrowserContext): Promise<PageProblems> {
  const problems: PageProblems = { csp: [], pageErrors: [], consoleErrors: [] };
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== 'error' && !CSP_TEXT.test(msg.text())) return;
    const where = msg.location().url ? ` (${msg.location().url})` : '';
    if (msg.type() === 'error') problems.consoleErrors.push(`${msg.text()}${where}`);
    if (CSP_TEXT.test(msg.text())) problems.csp.push(`console: ${msg.text()}${where}`);
  };
  const watch = (page: Page) => {
    page.on('console', onConsole);
    page.on('pageerror', (err) => problems.pageErrors.push(`${page.url()}: ${err.stack ?? err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  // The browser's own report of every blocked resource or inline code, independent of how the console words it.
  await context.exposeBinding('__aetherReportCsp', (_source, text: string) => {
    problems.csp.push(`event: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__aetherReportCsp?.(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`);
    });
  });
  return problems;
}

/** Saves a full-page PNG under test-artifacts/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  rmSync(path, { force: true }); // a file left by an earlier run must not pass for this run's
  // From the top, so the sticky top bar is drawn where it belongs in the full-page image.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}

/** Size of a saved screenshot in bytes, 0 when it is missing. */
export function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** Waits until the page shows no loading indicator. */
export async function settled(page: Page): Promise<void> {
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

/** Follows a navigation link and waits for the page's heading and, if given, a piece of its loaded content. */
export async function goTo(page: Page, navTestId: string, title: string, contentTestId?: string): Promise<void> {
  await page.getByTestId(navTestId).click();
  await page.getByTestId('page-title').filter({ hasText: title }).waitFor();
  if (contentTestId) await page.getByTestId(contentTestId).waitFor();
  await settled(page);
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByTestId('login-username').waitFor();
  assert.equal(new URL(page.url()).search, '', 'logout lands on the plain login page');
  assert.equal(await page.getByTestId('page-title').textContent(), 'Sign in');
}

/**
 * Steps of one browser scenario, run as subtests of `t`. They share one browser session, so after a failed step the
 * rest are skipped instead of failing in its wake.
 */
export function stepper(t: TestContext): (name: string, fn: () => Promise<void>) => Promise<void> {
  let failedStep: string | null = null;
  return (name, fn) =>
    t.test(name, async (st: TestContext) => {
      if (failedStep) {
        st.skip(`skipped: the earlier step "${failedStep}" failed`);
        return;
      }
      try {
        await fn();
      } catch (err) {
        failedStep = name;
        throw err;
      }
    });
}
