// The signed-in user's profile facts.
import type { User } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';

export function ProfileCard({ user }: { user: User }) {
  const roleNames = user.roles.map((role) => (role.serverId ? `${role.roleName} (server ${role.serverId})` : role.roleName));
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts" data-testid="profile">
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Roles</dt>
        <dd>{roleNames.length ? roleNames.join(', ') : <span class="muted">None</span>}</dd>
        <dt>Account created</dt>
        <dd>
          <TimeText iso={user.createdAt} />
        </dd>
        <dt>Last login</dt>
        <dd>
          <TimeText iso={user.lastLoginAt} />
          {user.lastLoginIp ? <span class="muted mono"> from {user.lastLoginIp}</span> : null}
        </dd>
      </dl>
    </section>
  );
}
