// The live monitor in a panel: simulate mode records without enforcing, local overrides apply, a flood of addresses stays bounded.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SHIPPED_RULES_DIR } from '../../src/monitor/index.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel } from '../helpers/panel.ts';

function rulesWith(local: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aether-rules-'));
  for (const f of ['panel.yml', 'sshd.yml']) copyFileSync(join(SHIPPED_RULES_DIR, f), join(dir, f));
  writeFileSync(join(dir, 'site.local.yml'), local);
  return dir;
}

describe('live monitor', () => {
  test('a rule in simulate mode records its detection and bans nobody', async () => {
    const panel = await startPanel({ monitor: { rulesDir: rulesWith('rules:\n  - id: panel-login-brute-force\n    simulate: true\n    threshold: 4\n') } });
    try {
      await setupAdmin(panel);
      const attacker = new TestClient(panel.url, { localAddress: '127.0.0.7' });
      for (let i = 0; i < 4; i += 1) await attacker.login(ADMIN.username, `Wrong-${i}-Password`);
      await panel.services.monitor.settled();
      const [d] = await panel.services.monitor.detections({ limit: 1, rule: 'panel-login-brute-force' });
      assert.equal(d!.simulated, true);
      assert.equal(d!.count, 4, 'the local override set the threshold');
      assert.equal(d!.outcome, 'ban simulated');
      assert.equal((await attacker.get('/api/v1/setup/status')).status, 200);
      assert.equal((await panel.services.bans.list({ activeOnly: true, limit: 5 })).length, 0);
    } finally {
      await panel.close();
    }
  });

  test('a rule turned off in a local file does nothing', async () => {
    const panel = await startPanel({ monitor: { rulesDir: rulesWith('rules:\n  - id: panel-login-brute-force\n    enabled: false\n') } });
    try {
      await setupAdmin(panel);
      const attacker = new TestClient(panel.url, { localAddress: '127.0.0.8' });
      for (let i = 0; i < 12; i += 1) await attacker.login(ADMIN.username, `Wrong-${i}-Password`);
      await panel.services.monitor.settled();
      assert.equal((await panel.services.monitor.detections({ limit: 5, rule: 'panel-login-brute-force' })).length, 0);
      assert.equal((await attacker.get('/api/v1/setup/status')).status, 200);
    } finally {
      await panel.close();
    }
  });

  test('100,000 requests from distinct addresses: every rule stays within its key cap and the panel keeps answering', async () => {
    const panel = await startPanel();
    try {
      const admin = await setupAdmin(panel);
      for (let i = 0; i < 100_000; i += 1) {
        panel.services.monitor.feed({
          ts: Date.now(),
          source: 'panel',
          event: 'http.request',
          ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          user: null,
          service: 'http',
          http: { method: 'GET', path: `/probe/${i}`, status: 404, bytes: 0, userAgent: null },
          fields: { actorType: null, actorId: null },
        });
      }
      for (const s of panel.services.monitor.stats()) {
        const rule = panel.services.monitor.rules.find((r) => r.id === s.rule)!;
        assert.ok(s.keys <= rule.maxKeys, `${s.rule}: ${s.keys} keys`);
      }
      assert.ok(panel.services.monitor.stats().some((s) => s.keys === 50_000), 'the probing rule is at its cap');
      assert.equal((await admin.get('/api/v1/users/me')).status, 200);
    } finally {
      await panel.close();
    }
  });
});
