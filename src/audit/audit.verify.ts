// Walks the whole audit chain and reports the first row whose hash or link does not match.
import type { Db } from '../db/index.ts';
import { GENESIS_HASH, hashEvent } from './audit.chain.ts';
import { fromRow, type AuditRow } from './audit.rows.ts';

export type VerifyResult =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; badId: number; reason: string };

export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  let lastId = 0;
  for (;;) {
    const rows = (await db<AuditRow>('audit_events').select('*').where('id', '>', lastId).orderBy('id', 'asc').limit(batchSize)) as AuditRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = fromRow(row);
      if (event.id !== expectedId) {
        return { ok: false, count, badId: event.id, reason: `row ${expectedId} is missing (next row is ${event.id})` };
      }
      if (event.prevHash !== prevHash) {
        return { ok: false, count, badId: event.id, reason: 'previous-hash link does not match the row before it' };
      }
      const { hash, ...rest } = event;
      if (hashEvent(rest) !== hash) {
        return { ok: false, count, badId: event.id, reason: 'row content does not match its hash (edited)' };
      }
      prevHash = hash;
      expectedId += 1;
      lastId = event.id;
      count += 1;
    }
  }
  return { ok: true, count, headHash: prevHash };
}
