// The resource alerts firing now, kept in the database so that an alert fired before a restart resolves after it.
import type { Db } from '../db/index.ts';
import type { FiringAlert } from './thresholds.ts';

const TABLE = 'resource_alerts';

type Row = { dedup_key: string; rule: string; target: string; since: number | string; value: number };

export function createAlertStatesStore(db: Db) {
  return {
    async list(): Promise<FiringAlert[]> {
      const rows = (await db(TABLE).select('dedup_key', 'rule', 'target', 'since', 'value')) as Row[];
      return rows.map((r) => ({ dedupKey: r.dedup_key, rule: r.rule, target: r.target, since: Number(r.since), value: Number(r.value) }));
    },

    /** Makes the table hold exactly these alerts (a handful of rows: the diff is written, not the whole set). */
    async sync(firing: readonly FiringAlert[], stored: readonly FiringAlert[]): Promise<void> {
      const now = new Set(firing.map((a) => a.dedupKey));
      const before = new Set(stored.map((a) => a.dedupKey));
      const gone = stored.filter((a) => !now.has(a.dedupKey)).map((a) => a.dedupKey);
      const added = firing.filter((a) => !before.has(a.dedupKey));
      if (gone.length === 0 && added.length === 0) return;
      await db.transaction(async (trx) => {
        if (gone.length) await trx(TABLE).whereIn('dedup_key', gone).delete();
        if (added.length) {
          await trx(TABLE)
            .insert(added.map((a) => ({ dedup_key: a.dedupKey, rule: a.rule, target: a.target, since: a.since, value: a.value })))
            .onConflict('dedup_key')
            .merge();
        }
      });
    },
  };
}
