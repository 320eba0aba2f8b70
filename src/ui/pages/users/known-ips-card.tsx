// The addresses a user has signed in from (from the audit trail), newest first, with first and last time and sign-ins.
import { listKnownIps } from '../../api/monitor.api.ts';
import type { User } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { StepHeading } from '../../components/step-heading.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';

type KnownIpsCardProps = {
  user: User;
  onClose: () => void;
};

export function KnownIpsCard({ user, onClose }: KnownIpsCardProps) {
  const known = useLoad(() => listKnownIps(user.id), [user.id]);
  const items = known.data ?? [];
  return (
    <section class="card stack card-section" aria-label={`Known addresses of ${user.username}`} data-testid="known-ips">
      <StepHeading level={2}>Known addresses of {user.username}</StepHeading>
      <p class="muted">Every address {user.username} signed in from, as the audit log recorded it, most recent first.</p>
      <ErrorMessage message={known.error} />
      {known.loading ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="known-ips-list">
            <caption class="visually-hidden">Addresses {user.username} signed in from</caption>
            <thead>
              <tr>
                <th scope="col">IP</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
                <th scope="col">Sign-ins</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 ? (
                <tr>
                  <td colSpan={4} class="empty">
                    No sign-ins are recorded for {user.username}.
                  </td>
                </tr>
              ) : (
                items.map((item) => (
                  <tr key={item.ip} data-testid="known-ip">
                    <th scope="row" class="mono">
                      {item.ip}
                    </th>
                    <td>
                      <TimeText iso={item.firstSeen} />
                    </td>
                    <td>
                      <TimeText iso={item.lastSeen} />
                    </td>
                    <td>{item.logins}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="btn" onClick={onClose} data-testid="known-ips-close">
          Close
        </button>
      </div>
    </section>
  );
}
