// One alert: its facts, the actions and responses the user may take, the timeline, the evidence, related activity and
// the notifications sent; kept up to date by the live stream.
import { useEffect, useRef } from 'preact/hooks';
import type { AlertChange } from '../../api/alerts.types.ts';
import { listUsers } from '../../api/users.api.ts';
import type { User } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useAlertStream } from '../../hooks/use-alert-stream.ts';
import { useLoad } from '../../hooks/use-load.ts';
import { Link } from '../../router/link.tsx';
import { hasScope } from '../../session/scopes.ts';
import { useSession } from '../../session/session-context.ts';
import { SeverityBadge } from '../security/severity-badge.tsx';
import { AlertActions } from './alert-actions.tsx';
import { AlertEvidence } from './alert-evidence.tsx';
import { AlertFacts } from './alert-facts.tsx';
import { AlertResponses } from './alert-responses.tsx';
import { AlertStatusBadge } from './alert-status-badge.tsx';
import { AlertTimeline } from './alert-timeline.tsx';
import { ALERTS_PATH } from './alerts-sections.ts';
import { DeliveriesTable } from './deliveries-table.tsx';
import { LiveStatus } from './live-status.tsx';
import { refreshAlertCounts } from './open-alerts-count.ts';
import { RelatedActivity } from './related-activity.tsx';
import { useAlertDetail } from './use-alert-detail.ts';

/** Changes come in bursts (repeats of a brute force): the detail is read once the burst is over. */
const RELOAD_DELAY_MS = 300;
/** The most accounts the assignee picker lists (one page of GET /users). */
const ASSIGNABLE_LIMIT = 200;

const noUsers = async (): Promise<User[] | null> => null;
const activeUsers = async (): Promise<User[] | null> => (await listUsers(null, ASSIGNABLE_LIMIT)).items.filter((user) => !user.disabled);

type AlertDetailViewProps = { id: number; canManage: boolean };

export function AlertDetailView({ id, canManage }: AlertDetailViewProps) {
  const { user } = useSession();
  const detail = useAlertDetail(id);
  const canListUsers = canManage && hasScope(user, 'users.view');
  const users = useLoad(canListUsers ? activeUsers : noUsers, [canListUsers]);
  const timer = useRef<number | null>(null);

  const reloadSoon = () => {
    if (timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      detail.reload();
    }, RELOAD_DELAY_MS);
  };
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const onChange = ({ type, alert }: AlertChange) => {
    const own = detail.data?.alert;
    const related = type === 'created' && own && ((own.ip && alert.ip === own.ip) || (own.user && alert.user === own.user));
    if (alert.id === id || related) reloadSoon();
  };
  const stream = useAlertStream({ onChange, onReady: reloadSoon });

  const data = detail.data;
  const alert = data?.alert;

  // A change of status here (or elsewhere, through the stream) changes the count of open alerts in the navigation.
  const shownStatus = useRef<string | null>(null);
  useEffect(() => {
    if (!alert) return;
    if (shownStatus.current !== null && shownStatus.current !== alert.status) void refreshAlertCounts();
    shownStatus.current = alert.status;
  }, [alert?.status]);
  const responses = canManage && (hasScope(user, 'monitor.edit') || hasScope(user, 'users.edit'));

  return (
    <section>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <Link href={ALERTS_PATH} data-testid="alert-back">
          Alerts
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Alert #{id}</span>
      </nav>
      <PageHeader
        title={alert ? alert.title : `Alert #${id}`}
        description={
          alert ? (
            <span class="alert-headline">
              <SeverityBadge severity={alert.severity} /> <AlertStatusBadge status={alert.status} />
              <span>
                #{alert.id} · {alert.source} · {alert.count} occurrence{alert.count === 1 ? '' : 's'}
              </span>
            </span>
          ) : undefined
        }
        actions={<LiveStatus state={stream.state} onReconnect={stream.reconnect} />}
      />
      {detail.loading ? <Loading /> : null}
      <ErrorMessage message={detail.errorStatus === 404 ? 'There is no such alert (it may have been removed).' : detail.error} />
      {data && alert && user ? (
        <>
          <div class="card-grid card-grid-2 alert-top">
            <AlertFacts alert={alert} />
            {canManage ? (
              <div class="stack">
                <AlertActions
                  alert={alert}
                  me={{ id: user.id, username: user.username }}
                  assignable={canListUsers ? (users.data ?? []) : null}
                  onAlert={detail.setAlert}
                  onTimeline={detail.setTimeline}
                  onChanged={detail.reload}
                />
                {responses ? (
                  <AlertResponses
                    alert={alert}
                    canBan={hasScope(user, 'monitor.edit')}
                    canEditUsers={hasScope(user, 'users.edit')}
                    onResponded={detail.reload}
                  />
                ) : null}
              </div>
            ) : (
              <p class="muted" data-testid="alert-read-only">
                You can read this alert but not work on it; that needs the alerts.manage scope.
              </p>
            )}
          </div>
          {canListUsers ? <ErrorMessage message={users.error} /> : null}
          <section class="alerts-section" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <AlertTimeline timeline={data.timeline} />
          </section>
          <section class="alerts-section" aria-labelledby="evidence-title">
            <h2 id="evidence-title">Evidence</h2>
            <AlertEvidence detail={data} />
          </section>
          <section class="alerts-section" aria-labelledby="related-title">
            <h2 id="related-title">Related activity</h2>
            <RelatedActivity detail={data} />
          </section>
          <section class="alerts-section" aria-labelledby="deliveries-title">
            <h2 id="deliveries-title">Notifications</h2>
            <DeliveriesTable deliveries={data.deliveries} />
          </section>
        </>
      ) : null}
    </section>
  );
}
