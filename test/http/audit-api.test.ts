// Tests the audit log API: filters by type (and prefix), actor, address and time, cursor pagination, and who may read it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

type Event = { id: string; ts: string; type: string; actor: { name: string | null }; ip: string | null; outcome: string; details: Record<string, unknown> };

describe('audit API', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    const stranger = new TestClient(panel.url, { localAddress: '127.0.0.3' });
    for (let i = 0; i < 3; i += 1) assert.equal((await stranger.login(ADMIN.username, `wrong-${i}`)).status, 401);
    assert.equal((await new TestClient(panel.url, { localAddress: '127.0.0.4' }).login(ADMIN.username, ADMIN.password)).status, 200);
  });
  after(() => panel.close());

  const list = async (q: string): Promise<{ items: Event[]; nextCursor: string | null }> => {
    const res = await admin.get(`/api/v1/audit?${q}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  test('filters by exact type, type prefix, actor and address', async () => {
    const failures = await list('type=auth.login.failure');
    assert.equal(failures.items.length, 3);
    assert.ok(failures.items.every((e) => e.type === 'auth.login.failure' && e.ip === '127.0.0.3' && e.outcome === 'failure'));
    assert.ok(failures.items.every((e) => e.details.reason === 'wrong_password'));
    const auth = await list('type=auth.*&limit=200');
    assert.ok(auth.items.length >= 5 && auth.items.every((e) => e.type.startsWith('auth.')));
    const byIp = await list('ip=127.0.0.4');
    assert.deepEqual(byIp.items.map((e) => e.type), ['auth.login.success']);
    const byActor = await list(`actor=${ADMIN.username}&type=auth.login.success`);
    assert.ok(byActor.items.length >= 2);
  });

  test('filters by time and pages newest first with a cursor', async () => {
    const all = await list('limit=200');
    const ids = all.items.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    const future = await list(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    assert.equal(future.items.length, 0);
    const past = await list(`to=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    assert.equal(past.items.length, 0);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Event[]; nextCursor: string | null } = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, all.items.map((e) => e.id));
  });

  test('bad filters are 400 with a code', async () => {
    for (const q of ['from=yesterday', 'limit=0', 'limit=abc', 'cursor=%%%', 'bogus=1']) {
      const res = await admin.get(`/api/v1/audit?${q}`);
      assert.equal(res.status, 400, q);
      assert.ok(res.body.error.code, q);
    }
  });
});
