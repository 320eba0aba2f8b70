// The facts of one alert: status, severity, where it comes from, how often and when, whom it is about and who works it.
import type { Alert } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { localizeTimes } from '../../util/format.ts';
import { SeverityBadge } from '../security/severity-badge.tsx';
import { AlertStatusBadge } from './alert-status-badge.tsx';

export function AlertFacts({ alert }: { alert: Alert }) {
  return (
    <div class="card" data-testid="alert-facts">
      <h2>Facts</h2>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <AlertStatusBadge status={alert.status} />
          {alert.status === 'acknowledged' && alert.acknowledgedAt ? (
            <span class="muted small">
              {' '}
              since <TimeText iso={alert.acknowledgedAt} />
            </span>
          ) : null}
          {alert.status === 'resolved' && alert.resolvedAt ? (
            <span class="muted small">
              {' '}
              <TimeText iso={alert.resolvedAt} />
            </span>
          ) : null}
        </dd>
        <dt>Severity</dt>
        <dd>
          <SeverityBadge severity={alert.severity} />
        </dd>
        <dt>Source</dt>
        <dd>{alert.source}</dd>
        <dt>Occurrences</dt>
        <dd data-testid="alert-count">{alert.count}</dd>
        <dt>First seen</dt>
        <dd>
          <TimeText iso={alert.firstSeen} withSeconds />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <TimeText iso={alert.lastSeen} withSeconds />
        </dd>
        <dt>Address</dt>
        <dd class="mono" data-testid="alert-ip">
          {alert.ip ?? <span class="muted">—</span>}
        </dd>
        <dt>User</dt>
        <dd data-testid="alert-user">{alert.user ?? <span class="muted">—</span>}</dd>
        <dt>Assignee</dt>
        <dd data-testid="alert-assignee">{alert.assignee ? alert.assignee.username : <span class="muted">Nobody</span>}</dd>
      </dl>
      {alert.summary ? (
        <>
          <h3 class="alerts-subtitle">Summary</h3>
          <p class="alert-summary" data-testid="alert-summary">
            {localizeTimes(alert.summary)}
          </p>
        </>
      ) : null}
    </div>
  );
}
