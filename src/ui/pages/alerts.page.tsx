// Alerts page: the inbox of alerts (live), one alert's detail with its timeline and responses, and the notification channels.
import { PageHeader } from '../components/page-header.tsx';
import { useLocation } from '../router/history.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { NotFoundPage } from './not-found.page.tsx';
import { AlertDetailView } from './alerts/alert-detail-view.tsx';
import { AlertsNav } from './alerts/alerts-nav.tsx';
import { alertsViewOf } from './alerts/alerts-sections.ts';
import { ChannelsSection } from './alerts/channels-section.tsx';
import { InboxSection } from './alerts/inbox-section.tsx';
import './alerts/alerts.css';

const DESCRIPTION =
  'Alerts raised by the security monitor, resource thresholds and the panel, and the channels that notify people about them. ' +
  'Times are shown in your local time zone.';

export function AlertsPage() {
  const { user } = useSession();
  const { path } = useLocation();
  const view = alertsViewOf(path);
  const canManage = hasScope(user, 'alerts.manage');
  if (view.kind === 'unknown') return <NotFoundPage />;
  if (view.kind === 'detail') return <AlertDetailView key={view.id} id={view.id} canManage={canManage} />;
  return (
    <section>
      <PageHeader title="Alerts" description={DESCRIPTION} />
      <AlertsNav current={view.section} />
      {view.section === 'inbox' ? <InboxSection canManage={canManage} /> : null}
      {view.section === 'channels' ? <ChannelsSection canManage={canManage} /> : null}
    </section>
  );
}
