// Backups configured and tested: encryption set up, the newest backup's age against the schedule, the last restore
// test (from the audit trail, so the command line sees the running panel's), and an off-site copy.
import { listBackupFiles } from '../../backup/index.ts';
import { DAY_MS, fail, pass, warn, worst, type Check, type CheckStatus } from '../check.types.ts';

const MAX_AGE_DAYS = 2;
const RESTORE_TEST_DAYS = 14;

const ago = (ms: number) => (ms < DAY_MS ? `${Math.max(0, Math.floor(ms / 3_600_000))} h` : `${Math.floor(ms / DAY_MS)} day(s)`);

export const backupsCheck: Check = {
  id: 'backups',
  title: 'Backups configured and tested',
  async run({ config, db, now, backupEncryption }) {
    const files = listBackupFiles(config.paths.backupDir);
    const newest = files[0];
    const newestAge = newest ? now - Date.parse(newest.createdAt) : null;
    const schedule = config.backup.schedule;
    const test = (await db('audit_events').whereIn('type', ['restore_test.passed', 'restore_test.failed']).orderBy('id', 'desc').first()) as { ts: number | string; type: string; details: string } | undefined;
    const lastPassed = (await db('audit_events').where({ type: 'restore_test.passed' }).orderBy('id', 'desc').first()) as { ts: number | string } | undefined;
    const offsite = Boolean(config.backup.offsiteDir || config.backup.offsiteSftp);
    const details = {
      dir: config.paths.backupDir,
      backups: files.length,
      newest: newest ? { name: newest.name, createdAt: newest.createdAt } : null,
      encryption: backupEncryption,
      scheduled: schedule.enabled,
      lastRestoreTest: test ? { at: new Date(Number(test.ts)).toISOString(), ok: test.type === 'restore_test.passed' } : null,
      offsite,
    };
    const found: Array<{ status: CheckStatus; text: string; fix: string | null }> = [];
    const keygen = 'aether backup keygen --out backup-identity.txt (keep that file off this machine) and restart the panel, or set AETHER_BACKUP_PASSPHRASE in the panel\'s environment';
    const recent = newestAge !== null && newestAge <= MAX_AGE_DAYS * DAY_MS;
    if (!backupEncryption && !recent) {
      found.push({ status: 'fail', text: 'Backups are not set up: no backup.recipients, and no AETHER_BACKUP_PASSPHRASE in this environment', fix: keygen });
    } else if (!newest) {
      found.push({ status: 'fail', text: `No backup in ${config.paths.backupDir} yet${schedule.enabled ? ` (the daily one runs at ${schedule.dailyAtUtc} UTC)` : ''}`, fix: 'aether backup create (or Backups → Back up now)' });
    } else if (!recent) {
      found.push({ status: 'fail', text: `The newest backup is ${ago(newestAge!)} old (${newest.name})${schedule.enabled ? `, though one is scheduled daily at ${schedule.dailyAtUtc} UTC: is the panel running, or do backups fail (Alerts, audit log backup.failed)?` : ''}`, fix: 'aether backup create now; then look for backup.failed in the audit log' });
    }
    if (!schedule.enabled) found.push({ status: 'warn', text: 'Backups are not scheduled (backup.schedule.enabled is false)', fix: 'set backup.schedule.enabled to true in config.json and restart the panel' });
    if (test && test.type === 'restore_test.failed') {
      const why = (JSON.parse(test.details) as { reason?: string }).reason ?? '';
      found.push({ status: 'fail', text: `The last restore test failed on ${new Date(Number(test.ts)).toISOString().slice(0, 10)}${why ? `: ${why.slice(0, 200)}` : ''}`, fix: 'Backups → Test the newest now, after making a fresh backup' });
    } else if (!lastPassed || now - Number(lastPassed.ts) > RESTORE_TEST_DAYS * DAY_MS) {
      found.push({
        status: 'warn',
        text: lastPassed ? `The last passed restore test was ${ago(now - Number(lastPassed.ts))} ago` : 'No restore test has ever passed',
        fix: `Backups → Test the newest now${schedule.restoreTestDays === 0 ? '; and set backup.schedule.restoreTestDays (0 turns the scheduled test off)' : ''}`,
      });
    }
    if (!offsite) found.push({ status: 'warn', text: 'No off-site copy: the backups sit on this machine only', fix: 'set backup.offsiteDir (a mounted disk or share) or backup.offsiteSftp in config.json' });
    const status = worst(found.map((f) => f.status));
    const facts = `${files.length} backup(s)${newest ? `, newest ${newest.createdAt.slice(0, 16).replace('T', ' ')} UTC (${ago(newestAge!)} ago)` : ''}${details.lastRestoreTest ? `, restore test ${details.lastRestoreTest.ok ? 'passed' : 'failed'} ${details.lastRestoreTest.at.slice(0, 10)}` : ''}`;
    if (status === 'pass') return pass(`${facts}; encrypted (${backupEncryption ?? 'as the panel is set up'}), scheduled daily at ${schedule.dailyAtUtc} UTC, copied off site.`, details);
    const reason = `${found.map((f) => f.text).join('. ')}. (${facts}.)`;
    const fix = found.map((f) => f.fix).filter(Boolean).join('; ') + '.';
    return status === 'fail' ? fail(reason, fix, details) : warn(reason, fix, details);
  },
};
