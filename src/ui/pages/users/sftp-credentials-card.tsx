// An administrator's review of a user's SFTP credentials: their SSH keys (with fingerprints) and app passwords, when
// each was last used, and Remove / Revoke, which also ends the SFTP sessions opened with it.
import { getUserSftpCredentials, removeUserSshKey, revokeUserSftpPassword } from '../../api/users.api.ts';
import type { User } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { StepHeading } from '../../components/step-heading.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useRowActions } from '../../hooks/use-row-actions.ts';

type Row = { id: string; kind: 'key' | 'app'; name: string; detail: string; createdAt: string; lastUsedAt: string | null };

export function SftpCredentialsCard({ user, onClose }: { user: User; onClose: () => void }) {
  const creds = useLoad(() => getUserSftpCredentials(user.id), [user.id]);
  const rows = useRowActions();
  const items: Row[] = [
    ...(creds.data?.keys ?? []).map((k) => ({ id: k.id, kind: 'key' as const, name: k.name || 'Unnamed key', detail: k.fingerprint, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt })),
    ...(creds.data?.appPasswords ?? []).map((p) => ({ id: p.id, kind: 'app' as const, name: p.name, detail: 'App password', createdAt: p.createdAt, lastUsedAt: p.lastUsedAt })),
  ];
  const remove = (row: Row) =>
    rows.run(row.id, async () => {
      if (row.kind === 'key') await removeUserSshKey(user.id, row.id);
      else await revokeUserSftpPassword(user.id, row.id);
      creds.reload();
      return `${row.kind === 'key' ? 'Key' : 'App password'} ${row.name} of ${user.username} removed; SFTP sessions opened with it were ended.`;
    });

  return (
    <section class="card stack card-section" aria-label={`SFTP access of ${user.username}`} data-testid="user-sftp-credentials">
      <StepHeading level={2}>SFTP access of {user.username}</StepHeading>
      <p class="muted">The SSH keys and app passwords {user.username} can sign in to SFTP with{user.twoFactorEnabled ? '' : ', besides their account password'}.</p>
      <ErrorMessage message={creds.error ?? rows.error} />
      <Notice message={rows.notice} />
      {creds.loading && !creds.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="table table-compact">
            <caption class="visually-hidden">SFTP credentials of {user.username}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key or kind</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr>
                  <td colSpan={5} class="empty">
                    {user.username} has no SSH keys or app passwords.
                  </td>
                </tr>
              ) : (
                items.map((row) => (
                  <tr key={row.id} data-testid="user-sftp-credential" data-kind={row.kind}>
                    <th scope="row">{row.name}</th>
                    <td class={row.kind === 'key' ? 'mono small cell-wrap' : undefined}>{row.detail}</td>
                    <td>
                      <TimeText iso={row.createdAt} />
                    </td>
                    <td>{row.lastUsedAt ? <TimeText iso={row.lastUsedAt} /> : <span class="muted">Never</span>}</td>
                    <td>
                      <button type="button" class="btn btn-small btn-danger-outline" onClick={() => remove(row)} disabled={rows.busyId === row.id} data-testid="user-sftp-remove">
                        {row.kind === 'key' ? 'Remove' : 'Revoke'}
                      </button>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="btn" onClick={onClose} data-testid="user-sftp-close">
          Close
        </button>
      </div>
    </section>
  );
}
