// The table of user accounts.
import type { User } from '../../api/types.ts';
import { UserRow, type UserRowActions } from './user-row.tsx';

type UsersTableProps = UserRowActions & {
  users: User[];
  canEdit: boolean;
  canSeeIps: boolean;
  currentUserId: string | null;
  busyId: string | null;
};

export function UsersTable({ users, canEdit, canSeeIps, currentUserId, busyId, ...actions }: UsersTableProps) {
  const withActions = canEdit || canSeeIps;
  return (
    <div class="table-wrap">
      <table class="table" data-testid="users-table">
        <caption class="visually-hidden">User accounts</caption>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">
              <abbr title="Two-factor authentication">2FA</abbr>
            </th>
            <th scope="col">Last login</th>
            {withActions ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.length === 0 ? (
            <tr>
              <td colSpan={withActions ? 7 : 6} class="empty">
                No users yet.
              </td>
            </tr>
          ) : (
            users.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                canEdit={canEdit}
                canSeeIps={canSeeIps}
                isSelf={user.id === currentUserId}
                busy={busyId === user.id}
                {...actions}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
