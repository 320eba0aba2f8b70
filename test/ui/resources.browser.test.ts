// The Resources page in chromium on a panel sampling the real host: current figures, history charts drawn by uPlot,
// the range picker, and a threshold rule that fires and raises an alert in the inbox.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { goTo, needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, stepper, watchContext } from '../helpers/browser.ts';
import { ADMIN } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';

test('Resources page in chromium: live host figures, charts, ranges, and a rule that raises an alert', { timeout: 180_000 }, async (t) => {
  if (!needsChromium(t)) return;
  // One shipped-style rule that always holds on a running host (some memory is always in use), so it fires at once.
  const rulesDir = mkdtempSync(join(tmpdir(), 'aether-resource-rules-'));
  t.after(() => rmSync(rulesDir, { recursive: true, force: true }));
  writeFileSync(
    join(rulesDir, 'test.yml'),
    'rules:\n  - id: memory-in-use\n    description: Any memory in use.\n    metric: memory\n    above: 0.5\n    for: 0s\n    clear_below: 0.1\n    clear_for: 1m\n    severity: medium\n',
  );
  const { panel, browser } = await panelWithBrowser(t, { resources: { enabled: true, intervalSeconds: 2, rulesDir } });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const step = stepper(t);

  await step('the administrator opens Resources and sees the host as it is now', async () => {
    await setupAdminInBrowser(page, panel, ADMIN);
    // Two stored samples (one per 10-second slot), so the charts have a line and the rates (which need a previous
    // sample) have values.
    await eventually(async () => Number(((await panel.db('resource_history').where({ resolution: 10 }).count({ n: '*' }).first()) as { n: number }).n) >= 2, 'two stored samples', 60_000);
    await goTo(page, 'nav-resources', 'Resources', 'resources-current');
    const cpu = (await page.getByTestId('figure-cpu').textContent()) ?? '';
    assert.match(cpu, /CPU\s*\d+(\.\d+)?\s*%/);
    assert.match((await page.getByTestId('figure-memory').textContent()) ?? '', /of .* in use/);
    assert.ok((await page.getByTestId('disks-table').locator('tbody tr').count()) >= 1, 'at least one disk');
  });

  await step('the history charts are drawn (uPlot canvases) with a text summary', async () => {
    for (const id of ['chart-cpu', 'chart-memory', 'chart-disks', 'chart-network']) {
      const chart = page.getByTestId(id);
      await chart.locator('canvas').first().waitFor();
      assert.ok(((await page.getByTestId(`${id}-summary`).textContent()) ?? '').length > 0, `${id} has a summary`);
    }
    await page.getByTestId('range-24h').click();
    await page.getByTestId('chart-cpu').locator('canvas').first().waitFor();
    await settled(page);
    await screenshot(page, 'resources-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'resources-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('the rule fires: its state shows on the page and its alert is in the inbox', async () => {
    const row = page.getByTestId('resource-rule-memory-in-use');
    await row.waitFor();
    await row.getByTestId('rule-state').filter({ hasText: /firing/i }).first().waitFor({ timeout: 30_000 });
    const alerts = (await panel.services.alerts.list({ source: ['resources'], status: ['open'], sort: 'last_seen', order: 'desc', limit: 10, offset: 0 })).items;
    assert.equal(alerts.length, 1);
    assert.match(alerts[0]!.title, /memory/i);
    assert.equal(alerts[0]!.severity, 'medium');
  });

  assert.deepEqual(problems.csp, []);
  assert.deepEqual(problems.pageErrors, []);
});
