// Dashboard card: how many alerts are in each status, and the newest open ones linking to their detail.
import { Fragment } from 'preact';
import { listAlerts } from '../../api/alerts.api.ts';
import { ALERT_STATUSES } from '../../api/alerts.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { Link } from '../../router/link.tsx';
import { SeverityBadge } from '../security/severity-badge.tsx';
import { statusLabels } from './alert-status-badge.tsx';
import { alertPath, ALERTS_PATH } from './alerts-sections.ts';
import { publishAlertCounts } from './open-alerts-count.ts';
import './alerts.css';

const NEWEST = 5;

async function newestOpen() {
  const list = await listAlerts({ status: ['open'], sort: 'first_seen', order: 'desc', limit: NEWEST });
  publishAlertCounts(list.counts);
  return list;
}

export function OpenAlertsCard() {
  const alerts = useLoad(newestOpen);
  const data = alerts.data;
  return (
    <div class="card" data-testid="dashboard-alerts">
      <h2>Open alerts</h2>
      <ErrorMessage message={alerts.error} />
      {alerts.loading ? <Loading /> : null}
      {data ? (
        <>
          <dl class="facts">
            {ALERT_STATUSES.map((status) => (
              <Fragment key={status}>
                <dt>{statusLabels[status]}</dt>
                <dd data-testid={`dashboard-alerts-${status}`}>{data.counts[status]}</dd>
              </Fragment>
            ))}
          </dl>
          {data.items.length ? (
            <ul class="mini-alerts" aria-label="Newest open alerts">
              {data.items.map((alert) => (
                <li key={alert.id}>
                  <SeverityBadge severity={alert.severity} />
                  <span>
                    <Link href={alertPath(alert.id)}>{alert.title}</Link>{' '}
                    <span class="muted small">
                      <TimeText iso={alert.firstSeen} />
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted mini-empty">No open alerts.</p>
          )}
          <p class="card-link">
            <Link href={ALERTS_PATH}>Go to the inbox</Link>
          </p>
        </>
      ) : null}
    </div>
  );
}
