// The signed-in user's sessions, with a Revoke button for each.
import type { AccountSession } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';

type SessionsListProps = {
  sessions: AccountSession[];
  busyId: string | null;
  onRevoke: (session: AccountSession) => void;
};

export function SessionsList({ sessions, busyId, onRevoke }: SessionsListProps) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="sessions-table">
        <caption class="visually-hidden">Your sessions</caption>
        <thead>
          <tr>
            <th scope="col">IP address</th>
            <th scope="col">Browser</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id} data-testid={session.current ? 'session-current' : 'session-row'}>
              <td class="mono">
                {session.ip ?? '—'}
                {session.current ? <span class="badge badge-success badge-inline">This session</span> : null}
              </td>
              <td class="cell-wrap user-agent">{session.userAgent ?? <span class="muted">Unknown</span>}</td>
              <td>
                <TimeText iso={session.createdAt} />
              </td>
              <td>
                <TimeText iso={session.lastSeenAt} />
              </td>
              <td>
                <button
                  type="button"
                  class="btn btn-small btn-danger-outline"
                  onClick={() => onRevoke(session)}
                  disabled={busyId === session.id}
                  data-testid="session-revoke"
                >
                  {session.current ? 'Revoke (sign out)' : 'Revoke'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
