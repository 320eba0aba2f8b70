// Users page: list accounts, create, edit, enable/disable, revoke sessions, reset 2FA, delete, see known addresses and
// review SFTP keys and app passwords.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { listRoles } from '../api/roles.api.ts';
import type { Role, User } from '../api/types.ts';
import { deleteUser, listUsers, resetUserTwoFactor, revokeUserSessions, updateUser } from '../api/users.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { UserConfirmDialog, type PendingUserConfirm } from './users/user-confirm-dialog.tsx';
import { UserCreateForm } from './users/user-create-form.tsx';
import { describeResetError } from './users/reset-two-factor-error.ts';
import { UserEditForm } from './users/user-edit-form.tsx';
import { KnownIpsCard } from './users/known-ips-card.tsx';
import { SftpCredentialsCard } from './users/sftp-credentials-card.tsx';
import { UsersTable } from './users/users-table.tsx';
import { useRowActions } from '../hooks/use-row-actions.ts';

type Panel = { kind: 'none' } | { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'known-ips' | 'sftp'; user: User };

const noRoles = async (): Promise<Role[]> => [];

export function UsersPage() {
  const session = useSession();
  const canEdit = hasScope(session.user, 'users.edit');
  const canSeeIps = hasScope(session.user, 'monitor.view');
  const users = usePagedList((cursor) => listUsers(cursor));
  const roles = useLoad(canEdit ? listRoles : noRoles, [canEdit]);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [toConfirm, setToConfirm] = useState<PendingUserConfirm | null>(null);
  const { busyId, error, notice, setNotice, run } = useRowActions();

  const replaceUser = (user: User) => {
    users.setItems((items) => items.map((item) => (item.id === user.id ? user : item)));
    if (user.id === session.user?.id) session.updateUser(user);
  };

  const runAction = (user: User, action: () => Promise<string>) => run(user.id, action);

  const toggleDisabled = (user: User) =>
    runAction(user, async () => {
      const updated = await updateUser(user.id, { disabled: !user.disabled });
      replaceUser(updated);
      return `${user.username} is now ${updated.disabled ? 'disabled' : 'enabled'}.`;
    });

  const revokeSessions = (user: User) =>
    runAction(user, async () => {
      await revokeUserSessions(user.id);
      return `All sessions of ${user.username} were revoked.`;
    });

  const resetTwoFactor = (user: User) =>
    runAction(user, async () => {
      try {
        replaceUser(await resetUserTwoFactor(user.id));
      } catch (err) {
        // Someone else turned it off meanwhile: show the row as it is now.
        if (err instanceof ApiError && err.code === 'two_factor_not_enabled') replaceUser({ ...user, twoFactorEnabled: false });
        throw new Error(describeResetError(err, user));
      }
      return `2FA of ${user.username} was reset and their sessions were ended.`;
    });

  const remove = (user: User) =>
    runAction(user, async () => {
      await deleteUser(user.id);
      users.setItems((items) => items.filter((item) => item.id !== user.id));
      return `${user.username} was deleted.`;
    });

  const confirm = async () => {
    if (!toConfirm) return;
    const { kind, user } = toConfirm;
    await (kind === 'delete' ? remove(user) : resetTwoFactor(user));
    setToConfirm(null);
  };

  const openCreate = () => {
    setNotice(null);
    setPanel({ kind: 'create' });
  };

  return (
    <section>
      <PageHeader
        title="Users"
        description="Accounts that can sign in to the panel."
        actions={
          canEdit && panel.kind !== 'create' ? (
            <button type="button" class="btn btn-primary" onClick={openCreate} data-testid="user-new">
              New user
            </button>
          ) : null
        }
      />
      {canEdit ? <ErrorMessage message={roles.error} /> : null}
      {panel.kind === 'create' ? (
        <UserCreateForm
          roles={roles.data ?? []}
          onCancel={() => setPanel({ kind: 'none' })}
          onCreated={(user) => {
            users.setItems((items) => [...items, user]);
            setPanel({ kind: 'none' });
            setNotice(`User ${user.username} was created.`);
          }}
        />
      ) : null}
      {panel.kind === 'edit' ? (
        <UserEditForm
          key={panel.user.id}
          user={panel.user}
          roles={roles.data ?? []}
          isSelf={panel.user.id === session.user?.id}
          onCancel={() => setPanel({ kind: 'none' })}
          onSaved={(user) => {
            replaceUser(user);
            setPanel({ kind: 'none' });
            setNotice(`Changes to ${user.username} were saved.`);
          }}
        />
      ) : null}
      {panel.kind === 'known-ips' ? (
        <KnownIpsCard key={panel.user.id} user={panel.user} onClose={() => setPanel({ kind: 'none' })} />
      ) : null}
      {panel.kind === 'sftp' ? <SftpCredentialsCard key={panel.user.id} user={panel.user} onClose={() => setPanel({ kind: 'none' })} /> : null}
      <Notice message={notice} />
      <ErrorMessage message={error ?? users.error} />
      {users.loading ? (
        <Loading />
      ) : (
        <UsersTable
          users={users.items}
          canEdit={canEdit}
          canSeeIps={canSeeIps}
          currentUserId={session.user?.id ?? null}
          busyId={busyId}
          onEdit={(user) => {
            setNotice(null);
            setPanel({ kind: 'edit', user });
          }}
          onToggleDisabled={toggleDisabled}
          onRevokeSessions={revokeSessions}
          onResetTwoFactor={(user) => setToConfirm({ kind: 'reset-2fa', user })}
          onDelete={(user) => setToConfirm({ kind: 'delete', user })}
          onKnownIps={(user) => {
            setNotice(null);
            setPanel({ kind: 'known-ips', user });
          }}
          onSftpAccess={(user) => {
            setNotice(null);
            setPanel({ kind: 'sftp', user });
          }}
        />
      )}
      <LoadMore hasMore={users.nextCursor !== null} loading={users.loadingMore} onLoadMore={users.loadMore} />
      <UserConfirmDialog
        pending={toConfirm}
        busy={toConfirm !== null && busyId === toConfirm.user.id}
        onCancel={() => setToConfirm(null)}
        onConfirm={confirm}
      />
    </section>
  );
}
