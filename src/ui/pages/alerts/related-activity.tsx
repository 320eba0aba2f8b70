// Activity around an alert: audit events from the same address or about the same user, and other alerts about them.
import type { AlertDetail } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { Link } from '../../router/link.tsx';
import { SeverityBadge } from '../security/severity-badge.tsx';
import { AlertStatusBadge } from './alert-status-badge.tsx';
import { alertPath } from './alerts-sections.ts';
import { AuditEventsTable } from './audit-events-table.tsx';

function subjectText(detail: AlertDetail): string {
  const { ip, user } = detail.alert;
  if (ip && user) return `the address ${ip} or the user ${user}`;
  if (ip) return `the address ${ip}`;
  return `the user ${user ?? ''}`;
}

export function RelatedActivity({ detail }: { detail: AlertDetail }) {
  const { alerts, auditEvents } = detail.related;
  if (!detail.alert.ip && !detail.alert.user) return <p class="muted">This alert names no address or user to relate other activity to.</p>;
  return (
    <div data-testid="alert-related">
      <h3>Other alerts about {subjectText(detail)}</h3>
      {alerts.length === 0 ? (
        <p class="muted" data-testid="related-alerts-empty">
          None.
        </p>
      ) : (
        <div class="table-wrap">
          <table class="table table-compact" data-testid="related-alerts">
            <caption class="visually-hidden">Other alerts about the same address or user</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Alert</th>
                <th scope="col">Status</th>
                <th scope="col">Count</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.id}>
                  <td>
                    <SeverityBadge severity={alert.severity} />
                  </td>
                  <th scope="row" class="cell-wrap">
                    <Link href={alertPath(alert.id)}>{alert.title}</Link>
                  </th>
                  <td>
                    <AlertStatusBadge status={alert.status} />
                  </td>
                  <td>{alert.count}</td>
                  <td>
                    <TimeText iso={alert.lastSeen} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 class="alerts-subtitle">Audit events from {subjectText(detail)}</h3>
      {auditEvents.length === 0 ? (
        <p class="muted">None recorded.</p>
      ) : (
        <>
          <AuditEventsTable events={auditEvents} caption="Audit events from the same address or about the same user" testId="related-audit-events" />
          <p class="muted small">The newest {auditEvents.length} events, newest first.</p>
        </>
      )}
    </div>
  );
}
