// Tests the database factory and migrations against a real SQLite file: WAL, foreign keys, busy timeout, idempotent migrate.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createDb, migrateLatest, pendingMigrations, ping } from '../../src/db/index.ts';

describe('database', () => {
  test('SQLite runs in WAL mode with foreign keys and a busy timeout, and migrations apply once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aether-db-')), 'nested', 'database.db');
    const db = createDb({ client: 'sqlite', filename: file, busyTimeoutMs: 4321 }, file);
    try {
      // Every file in the migrations folder is registered, in name order.
      const all = readdirSync(fileURLToPath(new URL('../../src/db/migrations', import.meta.url))).map((f) => f.replace(/\.ts$/, '')).sort();
      assert.ok(all.length >= 5);
      assert.deepEqual(await pendingMigrations(db), all);
      assert.deepEqual(await migrateLatest(db), all);
      assert.deepEqual(await migrateLatest(db), []);
      assert.deepEqual(await pendingMigrations(db), []);
      assert.ok(existsSync(file));
      assert.deepEqual(await db.raw('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
      assert.deepEqual(await db.raw('PRAGMA foreign_keys'), [{ foreign_keys: 1 }]);
      assert.deepEqual(await db.raw('PRAGMA busy_timeout'), [{ timeout: 4321 }]);
      assert.equal(await ping(db), true);
      // Foreign keys are enforced: a role assignment for a missing user is refused.
      await assert.rejects(db('user_roles').insert({ user_id: 'nobody', role_id: 'none', server_id: '*', created_at: 1 }), /FOREIGN KEY/);
    } finally {
      await db.destroy();
    }
  });
});
