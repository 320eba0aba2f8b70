// One row of the users table, with the actions the signed-in user is allowed to take.
import type { User } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';

export type UserRowActions = {
  onEdit: (user: User) => void;
  onToggleDisabled: (user: User) => void;
  onRevokeSessions: (user: User) => void;
  onResetTwoFactor: (user: User) => void;
  onDelete: (user: User) => void;
  onKnownIps: (user: User) => void;
  onSftpAccess: (user: User) => void;
};

type UserRowProps = UserRowActions & {
  user: User;
  canEdit: boolean;
  /** Holds monitor.view: may list the addresses the user signed in from. */
  canSeeIps: boolean;
  isSelf: boolean;
  busy: boolean;
};

export function UserRow({ user, canEdit, canSeeIps, isSelf, busy, ...actions }: UserRowProps) {
  const roleNames = user.roles.map((role) => (role.serverId ? `${role.roleName} (server ${role.serverId})` : role.roleName));
  return (
    <tr data-testid={`user-row-${user.username}`}>
      <th scope="row">
        {user.username}
        {isSelf ? <span class="muted"> (you)</span> : null}
      </th>
      <td>{user.email}</td>
      <td>{roleNames.length ? roleNames.join(', ') : <span class="muted">None</span>}</td>
      <td>
        {user.disabled ? <span class="badge badge-danger">Disabled</span> : <span class="badge badge-success">Active</span>}
      </td>
      <td data-testid="user-2fa">
        {user.twoFactorEnabled ? <span class="badge badge-success">On</span> : <span class="badge badge-neutral">Off</span>}
      </td>
      <td>
        <TimeText iso={user.lastLoginAt} />
        {user.lastLoginIp ? <div class="muted mono small">{user.lastLoginIp}</div> : null}
      </td>
      {canEdit || canSeeIps ? (
        <td>
          <div class="row-actions row-actions-compact">
            {canEdit ? (
              <button type="button" class="btn btn-small" onClick={() => actions.onEdit(user)} disabled={busy} data-testid="user-edit" aria-label={`Edit ${user.username}`}>
                Edit
              </button>
            ) : null}
            {canEdit ? (
              <button type="button" class="btn btn-small" onClick={() => actions.onSftpAccess(user)} disabled={busy} data-testid="user-sftp-access" aria-label={`SFTP access of ${user.username}`}>
                SFTP access
              </button>
            ) : null}
            {canSeeIps ? (
              <button
                type="button"
                class="btn btn-small"
                onClick={() => actions.onKnownIps(user)}
                disabled={busy}
                data-testid="user-known-ips"
                aria-label={`Known addresses of ${user.username}`}
              >
                Known addresses
              </button>
            ) : null}
            {!canEdit || isSelf ? null : (
              <button
                type="button"
                class="btn btn-small"
                onClick={() => actions.onToggleDisabled(user)}
                disabled={busy}
                data-testid="user-toggle-disabled"
                aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
              >
                {user.disabled ? 'Enable' : 'Disable'}
              </button>
            )}
            {canEdit ? (
              <button
                type="button"
                class="btn btn-small"
                onClick={() => actions.onRevokeSessions(user)}
                disabled={busy}
                data-testid="user-revoke-sessions"
                aria-label={`Revoke sessions of ${user.username}`}
              >
                Revoke sessions
              </button>
            ) : null}
            {/* Own 2FA is turned off in My account, with the password and a code. */}
            {canEdit && user.twoFactorEnabled && !isSelf ? (
              <button
                type="button"
                class="btn btn-small"
                onClick={() => actions.onResetTwoFactor(user)}
                disabled={busy}
                data-testid="user-reset-2fa"
                aria-label={`Reset 2FA of ${user.username}`}
              >
                Reset 2FA
              </button>
            ) : null}
            {!canEdit || isSelf ? null : (
              <button
                type="button"
                class="btn btn-small btn-danger-outline"
                onClick={() => actions.onDelete(user)}
                disabled={busy}
                data-testid="user-delete"
                aria-label={`Delete ${user.username}`}
              >
                Delete
              </button>
            )}
          </div>
        </td>
      ) : null}
    </tr>
  );
}
