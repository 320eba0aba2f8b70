// The Servers pages in chromium on a real Docker Engine: the administrator creates a server from the test template,
// starts it from its page, watches its console and sends a command, sees its CPU and memory charts fill and its
// history charted, stops it gracefully and deletes it; nothing of it is left in Docker.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { goTo, needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, stepper, watchContext } from '../helpers/browser.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { testPortRange } from '../helpers/ports.ts';

// Page-side globals used by the functions passed to page.evaluate (the project compiles without the DOM library).
declare const window: { aetherNoReload?: boolean };

const NAME = 'Survival';
const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8' });

test('Servers in chromium: create from a template, start, console command, live charts, graceful stop, delete', { timeout: 240_000 }, async (t) => {
  if (!needsChromium(t) || !needsDocker(t)) return;
  // The administrator's API session; the cleanup below uses it. Registered before the panel's own closing hook, so it
  // runs first (hooks run in the order they were added): servers made by a failed run are deleted through the API.
  let api: TestClient | null = null;
  t.after(async () => {
    if (!api) return;
    const left = await api.get('/api/v1/servers').catch(() => null);
    for (const server of (left?.body?.items ?? []) as Array<{ id: string }>) await api.del(`/api/v1/servers/${server.id}`).catch(() => undefined);
  });
  // A port range of its own, so test files running at once do not compete for ports.
  const ports = testPortRange();
  // Resource monitoring on (every 2 s): the server's history is sampled while it runs.
  const { panel, browser } = await panelWithBrowser(t, { servers: { portRange: ports }, resources: { enabled: true, intervalSeconds: 2 } });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const step = stepper(t);
  let serverId = '';
  let shortId = '';
  let hostPort = 0;

  /** Light and dark full-page screenshots of the page as it is now. */
  const shootThemes = async (name: string) => {
    await settled(page);
    await screenshot(page, `${name}-light`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, `${name}-dark`);
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const header = page.locator('.page-header');
  const consoleLine = (text: string | RegExp) => page.getByTestId('console-line').filter({ hasText: text });

  await step('the administrator opens the Servers page: no servers yet', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    api = new TestClient(panel.url);
    assert.equal((await api.login(ADMIN.username, ADMIN.password)).status, 200);
    await goTo(page, 'nav-servers', 'Servers', 'servers-empty');
    assert.equal(await page.getByTestId('coming-soon').count(), 0, 'no longer a placeholder');
  });

  await step('the create form shows a template\'s variables as fields fitting their rules', async () => {
    await page.getByTestId('server-new').click();
    await page.getByTestId('server-form').waitFor();
    await page.getByTestId('server-form-template').selectOption('minecraft-java');
    await page.getByTestId('server-form-template-description').filter({ hasText: 'Minecraft EULA' }).waitFor();
    assert.equal(await page.getByTestId('server-form-memoryMb').inputValue(), '2048', 'limits come from the template');
    assert.equal(await page.getByTestId('server-form-env-EULA').evaluate((el) => el.tagName), 'SELECT', 'a choice is a list');
    assert.equal(await page.getByTestId('server-form-env-MEMORY').inputValue(), '1536M', 'a variable starts at its default');
    await screenshot(page, 'servers-create-form-light');
  });

  await step('a value the template refuses is shown next to its field, and nothing is created', async () => {
    await page.getByTestId('server-form-name').fill('Bad heap');
    await page.getByTestId('server-form-env-EULA').selectOption('TRUE');
    await page.getByTestId('server-form-env-MEMORY').fill('lots');
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/servers' && r.request().method() === 'POST'),
      page.getByTestId('server-form-submit').click(),
    ]);
    assert.equal(res.status(), 400);
    const field = page.locator('.field').filter({ has: page.getByTestId('server-form-env-MEMORY') });
    await field.getByTestId('field-error').filter({ hasText: 'MEMORY must match the pattern' }).waitFor();
    assert.equal(await page.getByTestId('server-form-env-MEMORY').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('server-form-env-MEMORY').evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement), true, 'the refused field takes focus');
    assert.equal(await page.getByTestId('field-error').count(), 1, 'only the refused variable is marked');
    assert.match((await page.getByTestId('server-form').getByTestId('error').textContent()) ?? '', /see the field marked below/);
    await screenshot(page, 'servers-create-form-error-light');
    assert.deepEqual((await api!.get('/api/v1/servers')).body.items, []);
  });

  await step(`the administrator creates "${NAME}" from the test-server template; it is listed as stopped`, async () => {
    await page.getByTestId('server-form-template').selectOption('test-server');
    await page.getByTestId('server-form-template-description').filter({ hasText: 'stand-in game server' }).waitFor();
    assert.equal(await page.getByTestId('server-form-memoryMb').inputValue(), '64');
    assert.equal(await page.getByTestId('server-form-cpu').inputValue(), '0.5');
    assert.equal(await page.locator('[data-testid^="server-form-env-"]').count(), 0, 'the test template has no variables');
    await page.getByTestId('server-form-name').fill(NAME);
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/servers' && r.request().method() === 'POST'),
      page.getByTestId('server-form-submit').click(),
    ]);
    assert.equal(res.status(), 201, await res.text());
    ({ id: serverId, shortId } = ((await res.json()) as { server: { id: string; shortId: string } }).server);
    await page.getByTestId('notice').filter({ hasText: `Server ${NAME} was created.` }).waitFor();
    const card = page.locator(`[data-testid="server-card"][data-server-id="${serverId}"]`);
    await card.waitFor();
    assert.equal((await card.getByTestId('server-link').textContent())?.trim(), NAME);
    assert.equal((await card.getByTestId('server-state').textContent())?.trim(), 'Stopped');
    assert.equal((await card.getByTestId('server-template').textContent())?.trim(), 'Test server');
    const shown = (await card.getByTestId('server-ports').textContent())?.trim() ?? '';
    const m = /^[\d.]+:(\d+)\/tcp$/.exec(shown);
    assert.ok(m, `ports read host:port/protocol: ${shown}`);
    hostPort = Number(m[1]);
    assert.ok(hostPort >= ports.min && hostPort <= ports.max, `the port ${hostPort} is in this panel's range`);
    assert.match((await card.getByTestId('usage-memory').textContent()) ?? '', /of 64 MiB/);
    assert.equal(await card.getByTestId('server-start').count(), 1, 'a stopped server offers Start');
    await shootThemes('servers-list');
  });

  await step('the administrator opens it: stopped, the console connects', async () => {
    await page.getByTestId('server-link').filter({ hasText: NAME }).click();
    await page.getByTestId('page-title').filter({ hasText: NAME }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/servers/${serverId}`);
    await header.locator('[data-testid="server-state"][data-state="stopped"]').waitFor();
    await page.locator('[data-testid="console-live-status"][data-state="live"]').waitFor();
    assert.equal(await page.getByTestId('server-tab-console').getAttribute('aria-current'), 'page');
    assert.equal(await page.getByTestId('console-input').isDisabled(), true, 'no commands to a stopped server');
    await page.evaluate(() => {
      window.aetherNoReload = true;
    });
  });

  await step('Start: the state becomes running and the console shows the server starting', async () => {
    await page.getByTestId('server-start').click();
    // Creating and starting the container may take a while on a loaded machine (the whole suite runs at once).
    await header.locator('[data-testid="server-state"][data-state="running"]').waitFor({ timeout: 60_000 });
    await consoleLine(`Stand-in server listening on port ${hostPort}`).waitFor();
    assert.equal(await page.evaluate(() => window.aetherNoReload === true), true, 'the page was not reloaded');
  });

  await step('a command typed in the console reaches the server, and ↑ recalls it', async () => {
    const input = page.getByTestId('console-input');
    await page.locator('[data-testid="console-input"]:not([disabled])').waitFor();
    await input.fill('say hello');
    await input.press('Enter');
    await consoleLine('> say hello').waitFor();
    assert.equal(await input.inputValue(), '', 'the command line is empty again');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'say hello', '↑ recalls the last command');
    await input.press('ArrowDown');
    assert.equal(await input.inputValue(), '');
  });

  await step('output colours are drawn from their escape codes, and markup in output stays text', async () => {
    // The stand-in server echoes each command: the escape codes come back in its output as a program would print them.
    const input = page.getByTestId('console-input');
    await input.fill('say \u001b[1;31mred alert\u001b[0m <b>not bold</b> \u001b]0;title\u0007\u001b[2Kend');
    await input.press('Enter');
    const line = consoleLine('> say red alert <b>not bold</b> end');
    await line.waitFor();
    assert.equal((await line.locator('span.ansi-fg-1.ansi-bold').textContent()) ?? '', 'red alert');
    assert.equal(await page.getByTestId('console-output').locator('b').count(), 0, 'server text never becomes markup');
    assert.doesNotMatch((await line.textContent()) ?? '', /\u001b|title|\[2K/, 'other escape sequences are dropped');
  });

  await step('the CPU and memory charts fill from the live figures', async () => {
    for (const id of ['chart-server-cpu', 'chart-server-memory']) await page.getByTestId(id).locator('canvas').first().waitFor();
    await page.getByTestId('chart-server-cpu-summary').filter({ hasText: /CPU: average [\d.]+ %, peak/ }).waitFor();
    await page.getByTestId('chart-server-memory-summary').filter({ hasText: /Memory: average .*latest .* of 64 MiB\./ }).waitFor();
    await shootThemes('server-page');
  });

  await step('back on the list, the running server shows its use of CPU, memory and disk', async () => {
    await page.getByTestId('server-back').click();
    const card = page.locator(`[data-testid="server-card"][data-server-id="${serverId}"]`);
    await card.locator('[data-testid="server-state"][data-state="running"]').waitFor();
    await card.getByTestId('usage-cpu').filter({ hasText: /[\d.]+ % · limit 0\.5 CPUs/ }).waitFor();
    await card.getByTestId('usage-memory').filter({ hasText: /\d+(\.\d)? [KM]iB of 64 MiB/ }).waitFor();
    assert.deepEqual(
      await card.locator('[data-testid^="server-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')).filter((id) => /^server-(start|stop|restart|kill)$/.test(id ?? ''))),
      ['server-stop', 'server-restart', 'server-kill'],
    );
    await shootThemes('servers-list-running');
  });

  await step('opened again, the console shows the recent output it keeps', async () => {
    await page.getByTestId('server-link').filter({ hasText: NAME }).click();
    await page.getByTestId('page-title').filter({ hasText: NAME }).waitFor();
    await page.locator('[data-testid="console-live-status"][data-state="live"]').waitFor();
    await consoleLine('> say hello').waitFor();
    await consoleLine(`Stand-in server listening on port ${hostPort}`).waitFor();
  });

  await step('the History tab charts its CPU, memory, traffic and data directory against its limits', async () => {
    // Two readings in two 10-second slots make the first CPU figure.
    await eventually(async () => {
      const h = await api!.get(`/api/v1/servers/${serverId}/history?range=1h`);
      return (h.body.series?.cpuPct ?? []).some((v: number | null) => v !== null);
    }, 'a sampled CPU figure', 60_000, 500);
    await page.getByTestId('server-tab-history').click();
    await page.getByTestId('server-history').waitFor();
    assert.equal(new URL(page.url()).pathname, `/servers/${serverId}/history`);
    assert.match((await page.getByTestId('server-history-resolution').textContent()) ?? '', /Last 1 hour, every 10 seconds\. CPU: 100 % is one core; the limit is 0\.5 CPUs\./);
    for (const id of ['cpu', 'memory', 'network', 'disk']) await page.getByTestId(`chart-server-history-${id}`).locator('canvas').first().waitFor();
    await page.getByTestId('chart-server-history-cpu-summary').filter({ hasText: /CPU: average [\d.]+ %, peak/ }).waitFor();
    await page.getByTestId('chart-server-history-memory-summary').filter({ hasText: /Memory: average .*latest .*\.\s*Limit: 64 MiB\./ }).waitFor();
    await page.getByTestId('chart-server-history-disk-summary').filter({ hasText: /Limit: 256 MiB\./ }).waitFor();
    // A week: 5-minute averages and peaks (the bucket still open, from its samples).
    await page.getByTestId('range-7d').check();
    await page.getByTestId('server-history-resolution').filter({ hasText: /Last 7 days, averages and peaks of 5 minutes/ }).waitFor();
    await page.getByTestId('chart-server-history-memory-summary').filter({ hasText: /Memory: average .*peak/ }).waitFor();
    await shootThemes('server-history');
    await page.getByTestId('server-tab-console').click();
    await page.locator('[data-testid="console-live-status"][data-state="live"]').waitFor();
  });

  await step('Stop: the server saves and stops with its stop command, and is shown stopped', async () => {
    await page.getByTestId('server-stop').click();
    await consoleLine('Saving and stopping').waitFor();
    await header.locator('[data-testid="server-state"][data-state="stopped"]').waitFor();
    await page.getByTestId('server-start').waitFor();
    const state = JSON.parse(docker('inspect', `aether-${shortId}`).stdout)[0].State;
    assert.equal(state.Running, false);
    assert.equal(state.ExitCode, 0, 'stopped by its stop command, not killed');
  });

  await step('the settings show its configuration and record', async () => {
    await page.getByTestId('server-tab-settings').click();
    await page.getByTestId('server-facts').waitFor();
    assert.equal(new URL(page.url()).pathname, `/servers/${serverId}/settings`);
    assert.match((await page.getByTestId('server-limits').textContent()) ?? '', /64 MiB memory · 0\.5 CPUs · 64 processes · 256 MiB disk/);
    await page.getByTestId('server-exit-code').filter({ hasText: /^0$/ }).waitFor();
    assert.equal((await page.getByTestId('server-crash-count').textContent())?.trim(), '0');
    await screenshot(page, 'server-settings-light');
  });

  await step('Suspend with a reason: the notice says why, Start is gone, the API refuses a start; Unsuspend brings Start back', async () => {
    await page.getByTestId('server-suspend').click();
    const dialog = page.locator('[data-testid="confirm-dialog"][open]');
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId('confirm-ok').isDisabled(), true, 'a reason is required');
    await dialog.getByTestId('server-suspend-reason').fill('Abuse report 4711');
    await dialog.getByTestId('confirm-ok').click();
    await page.getByTestId('server-suspended').filter({ hasText: /Suspended since .* by root-admin: Abuse report 4711\./ }).waitFor();
    assert.equal(await page.getByTestId('server-start').count(), 0, 'a suspended server offers no Start');
    const start = await api!.post(`/api/v1/servers/${serverId}/power`, { action: 'start' });
    assert.equal(start.status, 409);
    assert.equal(start.body.error.code, 'server_suspended');
    await shootThemes('server-suspended');
    await page.getByTestId('server-unsuspend').click();
    await page.getByTestId('server-suspended').waitFor({ state: 'detached' });
    await page.getByTestId('server-start').waitFor();
  });

  await step('Delete, after confirming: back to the list, the server is gone, and so is its container', async () => {
    await page.getByTestId('server-delete').click();
    const dialog = page.locator('[data-testid="confirm-dialog"][open]');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(`Delete ${NAME}\\?`));
    assert.equal(await page.getByTestId('server-delete-keep-data').isChecked(), false, 'the data goes by default');
    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/servers/${serverId}` && r.request().method() === 'DELETE'),
      dialog.getByTestId('confirm-ok').click(),
    ]);
    assert.equal(res.status(), 204, 'deleted');
    await page.waitForURL((u) => u.pathname === '/servers');
    await page.getByTestId('notice').filter({ hasText: `Server ${NAME} was deleted.` }).waitFor();
    await page.getByTestId('servers-empty').waitFor();
    assert.equal(await page.locator(`[data-server-id="${serverId}"]`).count(), 0);
    assert.equal((await api!.get(`/api/v1/servers/${serverId}`)).status, 404);
    const left = docker('ps', '-a', '--filter', `label=io.aether.server=${serverId}`, '--format', '{{.ID}}');
    assert.equal(left.status, 0, left.stderr);
    assert.equal(left.stdout.trim(), '', 'no container is left');
  });

  await step('the dashboard counts the servers by state', async () => {
    await goTo(page, 'nav-dashboard', 'Dashboard', 'dashboard-servers');
    await page.getByTestId('dashboard-servers-none').waitFor();
    // The local engine's health, asked when the dashboard opens.
    const local = page.getByTestId('node-local');
    await local.waitFor();
    assert.match((await local.getByTestId('node-health').textContent()) ?? '', /^up, Docker \d/);
  });

  await step('no CSP violation or page error', async () => {
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.pageErrors, []);
  });
});
