// Tests the request log: one JSON line per request in panel.log with method, route, status, duration, address and actor, secrets redacted.
// Also: TOTP secrets, codes and recovery codes never reach panel.log or audit.log.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { createPanel } from '../../src/panel.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN, setupAdmin } from '../helpers/fixtures.ts';
import { FAST_HASHING } from '../helpers/panel.ts';
import { codeAt, enableTwoFactor } from '../helpers/two-factor.ts';
import { createManualClock } from '../../src/shared/clock.ts';

describe('request logging', () => {
  test('panel.log has a line per request and never a password, cookie or token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-log-'));
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ http: { port: 0 }, passwordHashing: FAST_HASHING, security: { require2fa: 'none' } }));
    const config = loadConfig({ path: configPath, env: {} });
    const logger = createLogger({ level: 'info', logDir: config.paths.logDir, stdout: false });
    const panel = await createPanel({ config, logger });
    const port = await panel.listen();
    const url = `http://127.0.0.1:${port}`;
    try {
      const admin = await setupAdmin({ ...panel, url, dir, close: async () => {} });
      const client = new TestClient(url);
      await client.login(ADMIN.username, 'definitely-wrong-password-123');
      await admin.get('/api/v1/users/me');
      // SECURITY check: a secret passed to the logger by mistake is still redacted.
      logger.info({ password: 'hunter2-secret', headers: { authorization: 'Bearer abc.def' } }, 'redaction probe');
      logger.flush();
      await new Promise((r) => setTimeout(r, 300));
      const text = readFileSync(join(config.paths.logDir, 'panel.log'), 'utf8');
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const requests = lines.filter((l) => l.msg === 'request');
      const me = requests.find((l) => l.path === '/api/v1/users/me');
      assert.ok(me, 'request line for /users/me');
      assert.equal(me.method, 'GET');
      assert.equal(me.route, 'GET /api/v1/users/me');
      assert.equal(me.status, 200);
      assert.equal(typeof me.ms, 'number');
      assert.equal(me.ip, '127.0.0.1');
      assert.equal(me.actor, `user:${ADMIN.username}`);
      assert.ok(requests.some((l) => l.path === '/api/v1/auth/login' && l.status === 401));
      for (const secret of [ADMIN.password, 'definitely-wrong-password-123', 'hunter2-secret', 'abc.def', admin.csrf!, ...admin.jar.values()]) {
        assert.equal(text.includes(secret), false, 'a secret reached panel.log');
      }
      assert.match(text, /\[redacted\]/);
    } finally {
      await panel.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('2FA setup and sign-in leave no secret, code or recovery code in panel.log or audit.log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-log-'));
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ http: { port: 0 }, passwordHashing: FAST_HASHING, security: { require2fa: 'none' } }));
    const config = loadConfig({ path: configPath, env: {} });
    const logger = createLogger({ level: 'debug', logDir: config.paths.logDir, stdout: false });
    const clock = createManualClock(Date.UTC(2026, 10, 27, 15, 0, 5));
    const panel = await createPanel({ config, logger, clock });
    const port = await panel.listen();
    const url = `http://127.0.0.1:${port}`;
    try {
      const admin = await setupAdmin({ ...panel, url, dir, close: async () => {} });
      const { secret, recoveryCodes } = await enableTwoFactor(admin, clock);
      clock.advance(30_000);
      const code = codeAt(secret, clock);
      const client = new TestClient(url);
      await client.login(ADMIN.username, ADMIN.password);
      assert.equal((await client.post('/api/v1/auth/2fa', { code })).status, 200);
      const other = new TestClient(url);
      await other.login(ADMIN.username, ADMIN.password);
      assert.equal((await other.post('/api/v1/auth/2fa', { recoveryCode: recoveryCodes[0] })).status, 200);
      logger.flush();
      await new Promise((r) => setTimeout(r, 300));
      const logs = ['panel.log', 'audit.log'].map((f) => readFileSync(join(config.paths.logDir, f), 'utf8')).join('\n');
      assert.match(logs, /auth\.2fa\.recovery_used/);
      // The six digits are looked for as a JSON value: as bare digits they could occur inside any hash or id.
      for (const s of [secret, `"${code}"`, ...recoveryCodes, ...recoveryCodes.map((c) => c.replace(/-/g, ''))]) {
        assert.equal(logs.includes(s), false, 'a 2FA secret reached the logs');
      }
    } finally {
      await panel.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
