// Cross-checks audit.log against the database: an event the file has must be in the chain with the same hash.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Db } from '../db/index.ts';

export type LogCheckResult = { ok: true; checked: number } | { ok: false; checked: number; badId: number; reason: string };

/**
 * The hash chain alone cannot tell that its newest rows were deleted. audit.log keeps its own copy of every event's id
 * and hash, so deleting rows from the end of the table (or rewriting them) shows up here. Lines that are not audit
 * events, and events rotated out of the file, are ignored.
 */
export async function checkAuditLog(db: Db, file: string): Promise<LogCheckResult> {
  if (!existsSync(file)) return { ok: true, checked: 0 };
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let checked = 0;
  let batch: Array<{ id: number; hash: string }> = [];
  const flush = async (): Promise<LogCheckResult | null> => {
    if (batch.length === 0) return null;
    const rows = (await db('audit_events').whereIn('id', batch.map((e) => e.id)).select('id', 'hash')) as Array<{ id: number | string; hash: string }>;
    const stored = new Map(rows.map((r) => [Number(r.id), r.hash]));
    for (const e of batch) {
      const hash = stored.get(e.id);
      if (hash === undefined) return { ok: false, checked, badId: e.id, reason: 'it is in audit.log but missing from the database (deleted)' };
      if (hash !== e.hash) return { ok: false, checked, badId: e.id, reason: 'its hash differs between audit.log and the database' };
      checked += 1;
    }
    batch = [];
    return null;
  };
  for await (const line of lines) {
    let parsed: { id?: unknown; hash?: unknown };
    try {
      parsed = JSON.parse(line) as { id?: unknown; hash?: unknown };
    } catch {
      continue;
    }
    if (typeof parsed.id !== 'number' || typeof parsed.hash !== 'string') continue;
    batch.push({ id: parsed.id, hash: parsed.hash });
    if (batch.length >= 500) {
      const bad = await flush();
      if (bad) return bad;
    }
  }
  return (await flush()) ?? { ok: true, checked };
}
