// Retention on a simulated calendar: a backup every day for over a year, the policy applied after each one as the
// scheduler does; what is left is exactly the newest of the last 7 days, 4 ISO weeks and 12 months.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backupsToKeep, DEFAULT_RETENTION } from '../../src/backup/retention.ts';

const at = (iso: string) => new Date(`${iso}T03:00:00Z`);

test('daily backups for 420 days, pruned after each: 7 days, 4 weeks and 12 months are left, nothing else', () => {
  let kept: Array<{ id: string; at: Date }> = [];
  const start = at('2025-09-04');
  for (let i = 0; i < 420; i += 1) {
    const when = new Date(start.getTime() + i * 86_400_000);
    kept.push({ id: when.toISOString().slice(0, 10), at: when });
    const keep = backupsToKeep(kept, DEFAULT_RETENTION);
    kept = kept.filter((b) => keep.has(b.id));
  }
  assert.equal(kept.at(-1)!.id, '2026-10-28', 'the simulated calendar ends on Wednesday 2026-10-28');
  const expected = [
    // The newest of each of the last 12 months (the last day of each, and this month's newest).
    '2025-11-30', '2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30',
    // The newest of each of the last 4 ISO weeks (Sundays), besides this week's.
    '2026-10-11', '2026-10-18',
    // The last 7 days (2026-10-25 is also week 43's Sunday).
    '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27', '2026-10-28',
  ];
  assert.deepEqual(kept.map((b) => b.id).sort(), expected.sort());
});

test('the newest backup is always kept, and a policy of zeros keeps only it; several a day count once per day', () => {
  const backups = [
    { id: 'a', at: new Date('2026-11-27T01:00:00Z') },
    { id: 'b', at: new Date('2026-11-27T13:00:00Z') },
    { id: 'c', at: new Date('2026-11-26T13:00:00Z') },
  ];
  assert.deepEqual([...backupsToKeep(backups, { daily: 0, weekly: 0, monthly: 0 })], ['b']);
  assert.deepEqual([...backupsToKeep(backups, { daily: 2, weekly: 0, monthly: 0 })].sort(), ['b', 'c']);
  assert.deepEqual([...backupsToKeep([], DEFAULT_RETENTION)], []);
});

test('ISO weeks: a week spanning New Year is one week (Mon 2026-12-28 to Sun 2027-01-03)', () => {
  const backups = ['2026-12-28', '2027-01-01', '2027-01-03', '2027-01-04'].map((d) => ({ id: d, at: at(d) }));
  const keep = backupsToKeep(backups, { daily: 0, weekly: 3, monthly: 0 });
  assert.deepEqual([...keep].sort(), ['2027-01-03', '2027-01-04']);
});
