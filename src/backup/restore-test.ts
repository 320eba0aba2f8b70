// The scheduled restore test: a backup restored into a temporary directory and checked there (the database, which is
// a SQLite file in every backup whatever the panel's engine, its audit chain, its users). Nothing of the panel's own
// state is touched; the temporary directory goes either way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditChain } from '../audit/index.ts';
import { createDb } from '../db/index.ts';
import type { Opening } from './age.ts';
import { restoreBackup } from './restore.ts';

export type RestoreTestResult = { at: string; ok: boolean; backup: string | null; detail: string; users: number | null; auditEvents: number | null };

/** Restores `file` (named `name`) with `opening` into a temporary directory and checks what came back. */
export async function testRestore(file: string | null, name: string | null, opening: () => Promise<Opening>, at: string): Promise<RestoreTestResult> {
  if (!file) return { at, ok: false, backup: null, detail: 'There is no backup to test.', users: null, auditEvents: null };
  const temp = mkdtempSync(join(tmpdir(), 'aether-restore-test-'));
  try {
    const sqlitePath = join(temp, 'data', 'database.db');
    const restored = await restoreBackup(file, await opening(), { dataDir: join(temp, 'data'), database: { sqlitePath }, configPath: join(temp, 'config.json'), logDir: join(temp, 'logs'), serversDir: join(temp, 'data', 'servers') }, { force: false, now: new Date(at) });
    const db = createDb({ client: 'sqlite', filename: sqlitePath, busyTimeoutMs: 5000 }, sqlitePath);
    try {
      const chain = await verifyAuditChain(db);
      const users = Number(((await db('users').count('* as n').first()) as { n: number | string }).n);
      return chain.ok
        ? { at, ok: true, backup: name, detail: `Restored ${restored.files} file(s); the database passes SQLite's integrity check and its audit chain verifies.`, users, auditEvents: chain.count }
        : { at, ok: false, backup: name, detail: `The restored audit chain is broken at event ${chain.badId}: ${chain.reason}.`, users, auditEvents: chain.count };
    } finally {
      await db.destroy();
    }
  } catch (err) {
    return { at, ok: false, backup: name, detail: err instanceof Error ? err.message : String(err), users: null, auditEvents: null };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
