// A server's backups: back up now (with progress), and each backup with Download (a tar.gz of the files), Restore
// (the server stopped; its files are replaced whole) and Delete, as the user's server.backup.* scopes allow.
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { deleteServerBackup, getServerBackupJob, listServerBackups, restoreServerBackup, serverBackupDownloadUrl, startServerBackup, type ServerBackup } from '../../api/servers.api.ts';
import type { Server } from '../../api/servers.types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { mayOnServer } from '../../session/scopes.ts';
import { JobProgress } from '../backups/job-progress.tsx';
import { useFollowedJob } from '../backups/use-followed-job.ts';
import { formatBytes } from '../resources/format.ts';

export function ServerBackups({ server, onRestored }: { server: Server; onRestored: () => void }) {
  const list = useLoad(() => listServerBackups(server.id), [server.id]);
  const rows = useRowActions();
  const followed = useFollowedJob(list.data?.job ?? null, (jobId) => getServerBackupJob(server.id, jobId), () => list.reload());
  const { running, setJob, error, setError } = followed;
  const [confirm, setConfirm] = useState<{ kind: 'restore' | 'delete'; backup: ServerBackup } | null>(null);
  const stopped = server.state === 'stopped' || server.state === 'crashed';

  const start = async () => {
    setError(null);
    try {
      setJob(await startServerBackup(server.id));
    } catch (err) {
      setError(describeError(err));
    }
  };

  const act = () => {
    const c = confirm!;
    setConfirm(null);
    void rows.run(c.backup.name, async () => {
      if (c.kind === 'delete') {
        await deleteServerBackup(server.id, c.backup.name);
        list.setData((prev) => ({ ...prev!, items: prev!.items.filter((b) => b.name !== c.backup.name) }));
        return 'The backup was deleted.';
      }
      const r = await restoreServerBackup(server.id, c.backup.name);
      onRestored();
      return `Restored: ${r.files} file(s), ${formatBytes(r.bytes)}. The server's files are as they were then.`;
    });
  };

  const data = list.data;
  return (
    <section class="servers-section" aria-labelledby="server-backups-title" data-testid="server-backups">
      <div class="section-head">
        <h2 id="server-backups-title">Backups</h2>
        {mayOnServer(server, 'server.backup.create') ? (
          <button type="button" class="btn btn-primary" onClick={() => void start()} disabled={Boolean(running) || (data ? data.items.length >= data.max : true)} data-testid="server-backup-start">
            {running ? 'Backing up…' : 'Back up now'}
          </button>
        ) : null}
      </div>
      <p class="muted small">
        The server's files (links and special files left out), encrypted and kept by the panel, at most {data?.max ?? '…'}. Restoring replaces all of its files and needs the server stopped.
      </p>
      {followed.shown ? <JobProgress job={followed.shown} /> : null}
      <ErrorMessage message={error ?? list.error ?? rows.error} />
      <Notice message={rows.notice} />
      {list.loading && !data ? <Loading /> : null}
      {data ? (
        <div class="table-wrap">
          <table class="table" data-testid="server-backups-table">
            <caption class="visually-hidden">Backups of {server.name}</caption>
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Size</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.length === 0 ? (
                <tr>
                  <td colSpan={3} class="empty" data-testid="server-backups-empty">
                    No backups of this server yet.
                  </td>
                </tr>
              ) : (
                data.items.map((b) => (
                  <tr key={b.name} data-testid="server-backup-row">
                    <th scope="row">
                      <TimeText iso={b.createdAt} withSeconds />
                    </th>
                    <td>{formatBytes(b.bytes)}</td>
                    <td>
                      <div class="row-actions">
                        <a class="btn btn-small" href={serverBackupDownloadUrl(server.id, b.name)} download={b.name.replace(/\.age$/, '')} data-testid="server-backup-download">
                          Download
                        </a>
                        {mayOnServer(server, 'server.backup.restore') ? (
                          <button
                            type="button"
                            class="btn btn-small"
                            disabled={!stopped || rows.busyId === b.name}
                            title={stopped ? undefined : 'Stop the server first'}
                            onClick={() => setConfirm({ kind: 'restore', backup: b })}
                            data-testid="server-backup-restore"
                          >
                            Restore
                          </button>
                        ) : null}
                        {mayOnServer(server, 'server.backup.delete') ? (
                          <button type="button" class="btn btn-small btn-danger-outline" disabled={rows.busyId === b.name} onClick={() => setConfirm({ kind: 'delete', backup: b })} data-testid="server-backup-delete">
                            Delete
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      ) : null}
      {!stopped && mayOnServer(server, 'server.backup.restore') ? <p class="muted small">Stop the server to restore a backup.</p> : null}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === 'restore' ? 'Restore this backup?' : 'Delete this backup?'}
        confirmLabel={confirm?.kind === 'restore' ? 'Restore' : 'Delete'}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={act}
      >
        <p>
          {confirm?.kind === 'restore'
            ? 'Every file of the server is replaced by the backup\'s: files made since are gone. The backup is checked whole before anything changes.'
            : 'The backup is deleted; this cannot be undone.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}
