// Backups page: whether backups are set up (and how to set them up), making one now with its progress, how they are
// encrypted, scheduled, kept and copied, the last restore test (and running it now), and the backups with Verify,
// Download and Delete. Restoring is done with the panel stopped, from the command line.
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { backupDownloadUrl, deleteBackup, getBackupJob, getBackups, runRestoreTest, startBackup, verifyBackup, type BackupFile } from '../api/backups.api.ts';
import { CheckboxField } from '../components/checkbox-field.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { TimeText } from '../components/time-text.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { useRowActions } from '../hooks/use-row-actions.ts';
import { formatBytes } from './resources/format.ts';
import { JobProgress } from './backups/job-progress.tsx';
import { RestoreTestFacts } from './backups/restore-test-facts.tsx';
import { useFollowedJob } from './backups/use-followed-job.ts';

const labelText: Record<BackupFile['label'], string> = { manual: 'By hand', daily: 'Daily', weekly: 'Weekly', other: 'Other' };
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function BackupsPage() {
  const overview = useLoad(getBackups);
  const rows = useRowActions();
  const [withFiles, setWithFiles] = useState(false);
  const followed = useFollowedJob(overview.data?.jobs.find((j) => j.state === 'running') ?? null, getBackupJob, () => overview.reload());
  const { running, setJob, error, setError } = followed;
  const [testing, setTesting] = useState(false);
  const [toDelete, setToDelete] = useState<BackupFile | null>(null);
  const data = overview.data;

  const start = async () => {
    setError(null);
    rows.setNotice(null);
    try {
      setJob(await startBackup(withFiles));
    } catch (err) {
      setError(describeError(err));
    }
  };

  const testNow = async () => {
    setTesting(true);
    setError(null);
    try {
      const result = await runRestoreTest();
      overview.setData((prev) => ({ ...prev!, lastRestoreTest: result }));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setTesting(false);
    }
  };

  return (
    <section>
      <PageHeader title="Backups" description="Encrypted backups of the panel's database, configuration and keys, and of the servers' files." />
      {overview.loading && !data ? <Loading /> : null}
      <ErrorMessage message={overview.error} />
      {data && !data.encryption ? (
        <div class="alert alert-warning" role="status" data-testid="backups-not-configured">
          <strong>Backups are not set up.</strong> They are always encrypted, so the panel needs a key first. On the host, run{' '}
          <code>aether backup keygen --out backup-identity.txt</code>, move that file off this machine (it opens the backups), and restart the panel; or set{' '}
          <code>AETHER_BACKUP_PASSPHRASE</code> in the panel's environment.
        </div>
      ) : null}
      {data ? (
        <div class="card-grid card-grid-2">
          <div class="card stack" data-testid="backup-make">
            <h2>Back up now</h2>
            <CheckboxField
              label="Include every server's files"
              description="Servers that run meanwhile may change files as they are read; stop them first for an exact copy."
              checked={withFiles}
              onChecked={setWithFiles}
              disabled={Boolean(running)}
              testId="backup-with-files"
            />
            <div class="form-actions">
              <button type="button" class="btn btn-primary" onClick={() => void start()} disabled={!data.encryption || Boolean(running)} data-testid="backup-start">
                {running ? 'Backing up…' : 'Back up now'}
              </button>
            </div>
            {followed.shown ? <JobProgress job={followed.shown} /> : null}
            <ErrorMessage message={error} />
          </div>
          <div class="card" data-testid="backup-settings">
            <h2>How backups are kept</h2>
            <dl class="facts">
              <dt>Encryption</dt>
              <dd data-testid="backup-encryption">
                {data.encryption === 'recipients' ? 'age, to the configured recipients (and the panel\'s restore-test key)' : data.encryption === 'passphrase' ? 'age, with the passphrase' : 'not set up'}
              </dd>
              <dt>Schedule</dt>
              <dd>
                {data.schedule.enabled
                  ? `Daily at ${data.schedule.dailyAtUtc} UTC; with server files every ${capital(data.schedule.weeklyOn)} at ${data.schedule.weeklyAtUtc} UTC`
                  : 'Off (backup.schedule.enabled)'}
              </dd>
              <dt>Kept</dt>
              <dd>
                The newest of the last {data.retention.daily} days, {data.retention.weekly} weeks and {data.retention.monthly} months; backups made by hand until deleted
              </dd>
              <dt>Off-site copy</dt>
              <dd>{data.offsite ? 'Yes, to backup.offsiteDir' : 'No (set backup.offsiteDir to a mounted disk or share)'}</dd>
              <dt>Restore test</dt>
              <dd>
                <RestoreTestFacts result={data.lastRestoreTest} everyDays={data.schedule.restoreTestDays} />
                <button type="button" class="btn btn-small" onClick={() => void testNow()} disabled={testing || data.items.length === 0} data-testid="restore-test-run">
                  {testing ? 'Testing…' : 'Test the newest now'}
                </button>
              </dd>
            </dl>
          </div>
        </div>
      ) : null}
      {data ? (
        <section class="section" aria-labelledby="backups-list-title">
          <h2 id="backups-list-title">Backups</h2>
          <ErrorMessage message={rows.error} />
          <Notice message={rows.notice} />
          <div class="table-wrap">
            <table class="table" data-testid="backups-table">
              <caption class="visually-hidden">Backups, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Made</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Holds</th>
                  <th scope="col">Size</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 ? (
                  <tr>
                    <td colSpan={5} class="empty" data-testid="backups-empty">
                      No backups yet.
                    </td>
                  </tr>
                ) : (
                  data.items.map((b) => (
                    <tr key={b.name} data-testid="backup-row" data-name={b.name}>
                      <th scope="row">
                        <TimeText iso={b.createdAt} withSeconds />
                        <div class="mono small muted cell-wrap">{b.name}</div>
                      </th>
                      <td>{labelText[b.label]}</td>
                      <td>{b.withFiles ? 'Panel and server files' : 'Panel (database, config, keys)'}</td>
                      <td>{formatBytes(b.bytes)}</td>
                      <td>
                        <div class="row-actions">
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={rows.busyId === b.name}
                            onClick={() =>
                              rows.run(b.name, async () => {
                                const v = await verifyBackup(b.name);
                                return `${b.name} is whole: ${v.files} files (${formatBytes(v.bytes)}) match their checksums.`;
                              })
                            }
                            data-testid="backup-verify"
                          >
                            Verify
                          </button>
                          <a class="btn btn-small" href={backupDownloadUrl(b.name)} download={b.name} data-testid="backup-download">
                            Download
                          </a>
                          <button type="button" class="btn btn-small btn-danger-outline" onClick={() => setToDelete(b)} data-testid="backup-delete">
                            Delete
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <p class="muted small">
            To restore, stop the panel and run <code>aether restore FILE</code> on the host (with <code>--identity FILE</code> or <code>AETHER_BACKUP_PASSPHRASE</code>): it checks the whole
            backup before anything moves, and every session ends.
          </p>
        </section>
      ) : null}
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete this backup?"
        confirmLabel="Delete"
        danger
        busy={toDelete !== null && rows.busyId === toDelete.name}
        onCancel={() => setToDelete(null)}
        onConfirm={() => {
          const b = toDelete!;
          setToDelete(null);
          void rows.run(b.name, async () => {
            await deleteBackup(b.name);
            overview.setData((prev) => ({ ...prev!, items: prev!.items.filter((x) => x.name !== b.name) }));
            return `${b.name} was deleted.`;
          });
        }}
      >
        <p class="mono small">{toDelete?.name}</p>
        <p>An off-site copy, if any, stays.</p>
      </ConfirmDialog>
    </section>
  );
}
