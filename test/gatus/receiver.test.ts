// Gatus's custom alerts reaching the inbox: only with the token given to Gatus; believed once Gatus's own API (a
// stand-in answering as Gatus documents /api/v1/endpoints/{key}/statuses) says the same; resolved when it is up again.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gatusKey } from '../../src/gatus/index.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';

/** Gatus's statuses API, as documented: an endpoint's results oldest first, the newest last. */
async function gatusStandIn(states: Map<string, boolean>): Promise<{ url: string; server: Server; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const m = /^\/api\/v1\/endpoints\/([^/]+)\/statuses/.exec(req.url ?? '');
    const key = m ? decodeURIComponent(m[1]!) : '';
    asked.push(key);
    if (!m || !states.has(key)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Endpoint not found');
      return;
    }
    const [group, name] = key.split('_');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({ name, group, key, results: [{ duration: 1_200_000, conditionResults: [{ condition: '[CONNECTED] == true', success: states.get(key) }], success: states.get(key), timestamp: new Date().toISOString() }] }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, asked };
}

test('Gatus alerts: token only, checked against Gatus\'s state, into the inbox and resolved', async (t) => {
  const states = new Map<string, boolean>();
  const gatus = await gatusStandIn(states);
  const { panel, admin } = await panelWithAdmin({ gatus: { apiUrl: gatus.url } });
  t.after(async () => {
    await panel.close();
    gatus.server.close();
  });
  const token = panel.services.gatus.alertToken;
  const post = (body: unknown, auth: string | null = `Bearer ${token}`) =>
    fetch(`${panel.url}/gatus/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) }, body: JSON.stringify(body) });
  const alert = { state: 'TRIGGERED', group: 'Servers', name: 'Survival game (1a2b3c4d)', description: 'Unreachable' };
  const key = gatusKey('Servers', 'Survival game (1a2b3c4d)');

  // No token, a wrong one, a malformed body.
  assert.equal((await post(alert, null)).status, 401);
  assert.equal((await post(alert, 'Bearer wrong-token-wrong-token')).status, 401);
  assert.equal((await admin.get('/api/v1/audit?type=gatus.alert.denied')).body.items.length, 2);
  assert.equal((await post({ ...alert, extra: 1 })).status, 400);
  assert.equal((await post({ ...alert, state: 'MAYBE' })).status, 400);

  // Gatus's own state says it is up: a triggered alert is not believed.
  states.set(key, true);
  assert.deepEqual(await (await post(alert)).json(), { outcome: 'ignored', state: 'up' });
  assert.ok(gatus.asked.includes(key), 'the panel asked Gatus about that endpoint');
  const inbox = async () => ((await admin.get('/api/v1/alerts?source=gatus&status=open,acknowledged,resolved')).body.items as Array<{ title: string; status: string; source: string }>).filter((a) => a.source === 'gatus');
  assert.deepEqual(await inbox(), []);

  // Down in Gatus too: an alert in the inbox.
  states.set(key, false);
  const raised = await post(alert);
  assert.equal(raised.status, 200);
  assert.deepEqual(await raised.json(), { outcome: 'raised', state: 'down' });
  let items = await inbox();
  assert.equal(items.length, 1);
  assert.equal(items[0]!.title, 'Servers: Survival game (1a2b3c4d) is down');
  assert.equal(items[0]!.status, 'open');

  // Up again: the resolution resolves it.
  states.set(key, true);
  assert.deepEqual(await (await post({ ...alert, state: 'RESOLVED' })).json(), { outcome: 'resolved', state: 'up' });
  items = await inbox();
  assert.equal(items[0]!.status, 'resolved');

  // Gatus's API does not answer: the alert stands as sent, marked as not re-checked.
  gatus.server.close();
  const unverified = await post({ ...alert, group: 'Panel', name: 'SFTP' });
  assert.deepEqual(await unverified.json(), { outcome: 'raised', state: 'unknown' });
  const panelAlert = (await inbox()).find((a) => a.title === 'Panel: SFTP is down');
  assert.ok(panelAlert);
});
