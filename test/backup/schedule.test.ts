// The backup service on a simulated calendar: backups encrypted to an administrator's age recipient (and the panel's
// restore-test key), the daily and weekly schedule, retention after each scheduled backup, the restore test, and the
// alerts a failed backup or restore test raises.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newIdentity, readBackup } from '../../src/backup/index.ts';
import { lastSlot } from '../../src/backup/backup.service.ts';
import { systemCaller } from '../../src/auth/index.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { eventually } from '../helpers/mail-server.ts';
import { startPanel } from '../helpers/panel.ts';

const DAY = 86_400_000;

test('schedule slots: the last HH:MM UTC at or before now, on the days given', () => {
  const now = new Date('2026-11-27T10:15:00Z'); // a Friday
  assert.equal(lastSlot(now, '03:00').toISOString(), '2026-11-27T03:00:00.000Z');
  assert.equal(lastSlot(now, '11:00').toISOString(), '2026-11-26T11:00:00.000Z');
  assert.equal(lastSlot(now, '04:00', [0]).toISOString(), '2026-11-22T04:00:00.000Z');
  assert.equal(lastSlot(now, '10:15', [5]).toISOString(), '2026-11-27T10:15:00.000Z');
});

test('backups on schedule to an age recipient: weekly with files, daily without, pruned, restore-tested; failures alert', { timeout: 120_000 }, async (t) => {
  const admin = await newIdentity();
  const clock = createManualClock(Date.parse('2026-11-01T04:01:00Z')); // a Sunday, just after the weekly slot
  const offsite = mkdtempSync(join(tmpdir(), 'aether-offsite-'));
  const panel = await startPanel({ backup: { recipients: [admin.recipient], offsiteDir: offsite, retention: { daily: 3, weekly: 2, monthly: 2 } } }, { clock });
  t.after(async () => {
    await panel.close();
    rmSync(offsite, { recursive: true, force: true });
  });
  const backups = panel.services.backups;
  const dir = panel.config.paths.backupDir;
  assert.equal(backups.configured(), 'recipients');

  // Sunday 04:01: the weekly backup (with server files); the daily one then counts as done for the day.
  await backups.tick();
  await backups.tick();
  assert.deepEqual(backups.list().map((b) => [b.label, b.withFiles]), [['weekly', true]]);
  const weekly = join(dir, backups.list()[0]!.name);
  // The administrator's identity opens it, and so does the panel's own restore-test key; nothing else does.
  const manifest = await readBackup(weekly, { identities: [admin.identity] });
  assert.equal(manifest.kind, 'panel');
  assert.ok(manifest.entries.some((e) => e.path === 'database/database.sqlite'));
  assert.ok((await backups.verify(weekly)).entries.length > 0);
  await assert.rejects(readBackup(weekly, { identities: [(await newIdentity()).identity] }), /cannot be opened/);

  // Then every day at 03:00 for three weeks: dailies, and the weekly on Sundays; retention keeps each series small.
  for (let day = 1; day <= 21; day += 1) {
    clock.set(Date.parse('2026-11-01T03:00:00Z') + day * DAY + 60_000);
    await backups.tick();
    if (new Date(clock.now()).getUTCDay() === 0) {
      clock.advance(3_600_000);
      await backups.tick();
    }
  }
  const left = backups.list();
  const dailies = left.filter((b) => b.label === 'daily').map((b) => b.createdAt.slice(0, 10));
  const weeklies = left.filter((b) => b.label === 'weekly').map((b) => b.createdAt.slice(0, 10));
  // Each series on its own: the newest of the 3 last days, 2 last ISO weeks and 2 last months. Panel-only: 22, 21, 20
  // (days), 22 and 15 (weeks 47 and 46), 22 (November). With files (Sundays): 22, 15, 8 (days), 22, 15, 22.
  assert.deepEqual(dailies, ['2026-11-22', '2026-11-21', '2026-11-20', '2026-11-15']);
  assert.deepEqual(weeklies, ['2026-11-22', '2026-11-15', '2026-11-08']);
  assert.equal(readdirSync(dir).filter((n) => n.includes('.partial') || n.startsWith('.staging')).length, 0, 'nothing half-made is left');
  // The off-site directory holds the same backups, byte for byte, pruned alike.
  assert.deepEqual(readdirSync(offsite).sort(), left.map((b) => b.name).sort());
  for (const b of left) assert.ok(readFileSync(join(offsite, b.name)).equals(readFileSync(join(dir, b.name))));
  const pruned = (await panel.services.audit.list({ type: 'backup.pruned', limit: 100 })).length;
  assert.ok(pruned > 0, 'retention removed backups');

  // The restore test: the newest backup restored into a temporary directory and checked.
  const passed = await backups.restoreTest();
  assert.equal(passed.ok, true, passed.detail);
  assert.equal(passed.backup, left[0]!.name);
  assert.ok(passed.users !== null && passed.auditEvents! > 0);
  assert.deepEqual(backups.lastRestoreTest(), passed);

  // A damaged newest backup fails the test, and that is an alert.
  writeFileSync(join(dir, left[0]!.name), 'not an age file');
  const failed = await backups.restoreTest();
  assert.equal(failed.ok, false);
  await eventually(async () => ((await panel.services.alerts.list({ sort: 'last_seen', order: 'desc', limit: 50, offset: 0 })).items as Array<{ title: string }>).some((a) => /restore test failed/.test(a.title)), 'the restore test alert', 10_000, 100);

  // A backup that cannot be written fails, is audited, and is an alert; nothing is left of it.
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(dir, 'a file where the backup directory should be');
  const job = await backups.create(systemCaller('test'), { label: 'manual', withFiles: false }).done;
  assert.equal(job.state, 'failed');
  assert.ok(job.error);
  await eventually(async () => ((await panel.services.alerts.list({ sort: 'last_seen', order: 'desc', limit: 50, offset: 0 })).items as Array<{ title: string }>).some((a) => /^Backup failed/.test(a.title)), 'the backup failure alert', 10_000, 100);
  rmSync(dir);
  assert.ok(!existsSync(dir));
});
