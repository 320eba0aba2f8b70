// Tests GET /api/v1/security/checklist: administrators get every item (kept a minute, ?refresh=1 runs it again);
// anyone else is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CHECK_IDS } from '../../src/check/index.ts';
import { TestClient } from '../helpers/client.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

describe('GET /api/v1/security/checklist', () => {
  let panel: TestPanel;
  let admin: TestClient;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin({ checklist: { releaseFeedUrl: null } }));
  });
  after(() => panel.close());

  test('an administrator gets every item, the same report within the minute, and a new one with ?refresh=1', async () => {
    const first = await admin.get('/api/v1/security/checklist');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body.items.map((i: { id: string }) => i.id), [...CHECK_IDS]);
    assert.equal(CHECK_IDS.length, 14);
    for (const item of first.body.items) {
      assert.ok(['pass', 'warn', 'fail'].includes(item.status));
      assert.ok(item.reason.length > 0);
    }
    assert.equal(first.body.summary.pass + first.body.summary.warn + first.body.summary.fail, 14);
    // Inside the panel the monitor is this process's own.
    const monitor = first.body.items.find((i: { id: string }) => i.id === 'log-monitoring');
    assert.equal(monitor.details.panelRunning, true);
    assert.match(monitor.reason, /running in this panel|No alert channel/);
    const twoFa = first.body.items.find((i: { id: string }) => i.id === 'admin-2fa');
    assert.equal(twoFa.status, 'fail');
    assert.match(twoFa.reason, /root-admin/);

    const second = await admin.get('/api/v1/security/checklist');
    assert.equal(second.body.checkedAt, first.body.checkedAt);
    const fresh = await admin.get('/api/v1/security/checklist?refresh=1');
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.body.checkedAt, first.body.checkedAt);
    assert.equal(first.headers['cache-control'], 'no-store');
  });

  test('an operator and an auditor get 403 and the refusal is audited; no session gets 401', async () => {
    for (const role of ['operator', 'auditor']) {
      const user = await createUser(panel, admin, [role]);
      const res = await user.client.get('/api/v1/security/checklist');
      assert.equal(res.status, 403, role);
      assert.equal(res.body.error.code, 'forbidden');
      const denied = await panel.db('audit_events').where({ type: 'auth.permission_denied', actor_name: user.username });
      assert.equal(denied.length, 1);
      assert.match(denied[0].details, /"scope":"admin"/);
    }
    assert.equal((await new TestClient(panel.url).get('/api/v1/security/checklist')).status, 401);
  });
});
