// Which scheduled backups to keep: the newest of each of the last N days, weeks and months that have one (the
// grandfather-father-son scheme, counted as restic's --keep-daily/--keep-weekly/--keep-monthly count). Days, ISO
// weeks (Monday to Sunday) and months are UTC ones. The newest backup is always kept.

export type RetentionPolicy = { daily: number; weekly: number; monthly: number };

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

const day = (d: Date) => d.toISOString().slice(0, 10);
const month = (d: Date) => d.toISOString().slice(0, 7);
/** The ISO week of a day, as "2026-W48" (its Thursday decides the year). */
function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = (t.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  t.setUTCDate(t.getUTCDate() - weekday + 3);
  const firstThursday = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round((t.getTime() - firstThursday.getTime()) / 604_800_000 - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The ids of the backups the policy keeps; the others may be deleted. */
export function backupsToKeep<T extends { id: string; at: Date }>(backups: readonly T[], policy: RetentionPolicy): Set<string> {
  const newest = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<string>();
  if (newest[0]) keep.add(newest[0].id);
  for (const [count, period] of [
    [policy.daily, day],
    [policy.weekly, isoWeek],
    [policy.monthly, month],
  ] as const) {
    const seen = new Set<string>();
    for (const b of newest) {
      if (seen.size >= count) break;
      const key = period(b.at);
      if (seen.has(key)) continue;
      seen.add(key);
      keep.add(b.id);
    }
  }
  return keep;
}
