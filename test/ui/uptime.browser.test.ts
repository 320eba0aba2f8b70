// Uptime in chromium: the dashboard's card shows the panel's own endpoints as Gatus measured them, with a link to the
// status page, and a server's card shows its TCP port's state and uptime (Gatus's public routes answered by a stand-in
// as Gatus documents them; the server made on a real Docker Engine).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { goTo, needsChromium, panelWithBrowser, screenshot, settled, setupAdminInBrowser, watchContext } from '../helpers/browser.ts';
import { needsDocker } from '../helpers/docker.ts';
import { ADMIN } from '../helpers/fixtures.ts';
import { testPortRange } from '../helpers/ports.ts';

test('Uptime on the dashboard and on server cards', { timeout: 120_000 }, async (t) => {
  if (!needsChromium(t) || !needsDocker(t)) return;
  const standIn = createServer((req, res) => {
    const m = /^\/api\/v1\/endpoints\/([^/]+)\/(health\/badge\.shields|uptimes\/24h|uptimes\/7d)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end('endpoint not found');
    const key = decodeURIComponent(m[1]!);
    const down = key === 'panel_sftp';
    if (m[2] === 'health/badge.shields') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ schemaVersion: 1, label: 'gatus', message: down ? 'down' : 'up', color: 'green' }));
    else res.writeHead(200, { 'Content-Type': 'text/plain' }).end(m[2] === 'uptimes/24h' ? (down ? '0.25' : '0.995') : '1');
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  t.after(() => standIn.close());
  const ports = testPortRange();
  let api: TestClient | null = null;
  t.after(async () => {
    const left = await api?.get('/api/v1/servers').catch(() => null);
    for (const server of (left?.body?.items ?? []) as Array<{ id: string }>) await api!.del(`/api/v1/servers/${server.id}`).catch(() => undefined);
  });
  const { panel, browser } = await panelWithBrowser(t, {
    servers: { portRange: ports },
    sftp: { enabled: true },
    gatus: { apiUrl: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`, statusPageUrl: 'https://status.example.test/' },
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light', locale: 'en-GB', timezoneId: 'UTC' });
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  await setupAdminInBrowser(page, panel, ADMIN);
  const card = page.getByTestId('dashboard-uptime');
  await card.getByTestId('uptime-endpoint').first().waitFor();
  const rows = await card.getByTestId('uptime-endpoint').evaluateAll((els) => els.map((el) => [el.getAttribute('data-name'), el.querySelector('[data-testid="uptime-state"]')?.textContent, el.querySelector('[data-testid="uptime-figures"]')?.textContent]));
  assert.deepEqual(rows, [
    ['Web panel', 'up', '24 h 99.50 % · 7 d 100 %'],
    ['SFTP', 'down', '24 h 25.00 % · 7 d 100 %'],
  ]);
  assert.equal(await card.getByTestId('status-page-link').getAttribute('href'), 'https://status.example.test/');
  assert.equal(await card.getByTestId('status-page-link').getAttribute('rel'), 'noopener noreferrer');
  await settled(page);
  await screenshot(page, 'dashboard-uptime-light');

  api = new TestClient(panel.url);
  assert.equal((await api.login(ADMIN.username, ADMIN.password)).status, 200);
  const created = await api.post('/api/v1/servers', { name: 'Uptime $5 "test"', template: 'test-server' });
  assert.equal(created.status, 201, created.text);
  const serverId = created.body.server.id as string;
  await goTo(page, 'nav-servers', 'Servers');
  const serverCard = page.locator(`[data-testid="server-card"][data-server-id="${serverId}"]`);
  const port = serverCard.getByTestId('server-uptime-port');
  await port.waitFor();
  assert.equal(await port.count(), 1, 'the test template has one TCP port');
  assert.equal((await port.getByTestId('uptime-state').textContent())?.trim(), 'up');
  assert.equal((await port.getByTestId('uptime-figures').textContent())?.trim(), '24 h 99.50 % · 7 d 100 %');
  await settled(page);
  await screenshot(page, 'servers-uptime-light');
  assert.deepEqual(problems.csp, []);
  assert.deepEqual(problems.pageErrors, []);
});
