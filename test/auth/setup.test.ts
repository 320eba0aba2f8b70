// Tests first-run setup: a one-time link that creates the first admin, is single use, expires after an hour and dies once users exist.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createManualClock } from '../../src/shared/clock.ts';
import { TestClient } from '../helpers/client.ts';
import { ADMIN } from '../helpers/fixtures.ts';
import { startPanel } from '../helpers/panel.ts';

describe('first-run setup', () => {
  test('the link creates an admin and signs in; it cannot be used twice; no token once a user exists', async () => {
    const panel = await startPanel();
    try {
      const anon = new TestClient(panel.url);
      assert.deepEqual((await anon.get('/api/v1/setup/status')).body, { setupRequired: true });
      const token = await panel.services.setup.issueToken();
      assert.ok(token && token.length >= 40);
      const wrong = await anon.post('/api/v1/setup', { token: 'x'.repeat(43), ...ADMIN });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 'setup_token_invalid');

      const res = await anon.post('/api/v1/setup', { token, ...ADMIN });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.username, ADMIN.username);
      assert.ok(res.body.user.scopes.includes('admin'));
      assert.ok(res.body.csrfToken);
      assert.equal((await anon.get('/api/v1/users/me')).status, 200, 'setup signs the admin in');

      const again = await new TestClient(panel.url).post('/api/v1/setup', { token, username: 'mallory', email: 'm@example.test', password: 'Another-Strong-Pass-1' });
      assert.equal(again.status, 403);
      assert.equal(await panel.services.users.count(), 1);
      assert.equal(await panel.services.setup.issueToken(), null);
      assert.deepEqual((await anon.get('/api/v1/setup/status')).body, { setupRequired: false });
      const stored = await panel.db('setup_tokens').select('token_hash');
      assert.ok(stored.every((r: { token_hash: string }) => r.token_hash !== token), 'only the hash of the token is stored');
    } finally {
      await panel.close();
    }
  });

  test('a weak password is refused without burning the link', async () => {
    const panel = await startPanel();
    try {
      const token = await panel.services.setup.issueToken();
      const anon = new TestClient(panel.url);
      const weak = await anon.post('/api/v1/setup', { token, username: 'admin', email: 'a@example.test', password: 'admin' });
      assert.equal(weak.status, 400);
      assert.equal(weak.body.error.code, 'weak_password');
      assert.equal((await anon.post('/api/v1/setup', { token, ...ADMIN })).status, 201);
    } finally {
      await panel.close();
    }
  });

  test('the link expires after one hour and a newer link replaces older ones', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const panel = await startPanel({}, { clock });
    try {
      const first = await panel.services.setup.issueToken();
      const second = await panel.services.setup.issueToken();
      const anon = new TestClient(panel.url);
      assert.equal((await anon.post('/api/v1/setup', { token: first, ...ADMIN })).status, 403, 'older link revoked');
      clock.advance(61 * 60 * 1000);
      const late = await anon.post('/api/v1/setup', { token: second, ...ADMIN });
      assert.equal(late.status, 403);
      assert.equal(late.body.error.code, 'setup_token_invalid');
      const failures = await panel.db('audit_events').where({ type: 'setup.failure' });
      assert.equal(failures.length, 2);
    } finally {
      await panel.close();
    }
  });

  test('two simultaneous requests with the same link create one admin', async () => {
    const panel = await startPanel();
    try {
      const token = await panel.services.setup.issueToken();
      const results = await Promise.all(
        ['first', 'second'].map((n) => new TestClient(panel.url).post('/api/v1/setup', { token, username: `admin-${n}`, email: `${n}@example.test`, password: ADMIN.password })),
      );
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 403]);
      assert.equal(await panel.services.users.count(), 1);
    } finally {
      await panel.close();
    }
  });

  test('with an admin IP allowlist in config, setup from outside it is refused and keeps the link', async () => {
    const panel = await startPanel({ security: { adminAllowlist: ['10.20.0.0/16'] } });
    try {
      const token = await panel.services.setup.issueToken();
      const res = await new TestClient(panel.url).post('/api/v1/setup', { token, ...ADMIN });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'ip_not_allowed');
      assert.equal(await panel.services.users.count(), 0);
      const row = await panel.db('setup_tokens').first();
      assert.equal(row.used_at, null, 'the link is still usable from an allowed address');
    } finally {
      await panel.close();
    }
  });
});
