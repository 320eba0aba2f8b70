// Dashboard: greeting, the user's access, the user's servers by state, node health, open alerts, backups with the
// last restore test and the security checklist's counts (for those who may see them) and shortcuts to the pages the
// user may open.
import { PageHeader } from '../components/page-header.tsx';
import { TimeText } from '../components/time-text.tsx';
import { appRoutes } from '../routes.tsx';
import { Link } from '../router/link.tsx';
import { OpenAlertsCard } from './alerts/open-alerts-card.tsx';
import { BackupStatusCard } from './backups/backup-status-card.tsx';
import { ChecklistCard } from './checklist/checklist-card.tsx';
import { NodesCard } from './servers/nodes-card.tsx';
import { ServersCard } from './servers/servers-card.tsx';
import { UptimeCard } from './uptime-card.tsx';
import { hasAnyScope, hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';

export function DashboardPage() {
  const { user, state } = useSession();
  if (!user) return null;
  const shortcuts = appRoutes.filter((route) => route.path !== '/' && hasAnyScope(user, route.anyOf));
  const roleNames = user.roles.map((role) => role.roleName);

  return (
    <section>
      <PageHeader title="Dashboard" description={`Welcome, ${user.username}.`} />
      <div class="card-grid">
        <div class="card card-full">
          <h2>Your access</h2>
          <dl class="facts">
            <dt>Roles</dt>
            <dd>{roleNames.length ? roleNames.join(', ') : <span class="muted">No roles</span>}</dd>
            <dt>Scopes</dt>
            <dd>
              {user.scopes.length ? (
                <ul class="chips">
                  {user.scopes.map((scope) => (
                    <li key={scope} class="chip">
                      {scope}
                    </li>
                  ))}
                </ul>
              ) : (
                <span class="muted">None</span>
              )}
            </dd>
            {state.status === 'authenticated' && state.absoluteExpiresAt ? (
              <>
                <dt>Session ends</dt>
                <dd>
                  <TimeText iso={state.absoluteExpiresAt} /> at the latest
                </dd>
              </>
            ) : null}
          </dl>
        </div>
        <ServersCard />
        {hasScope(user, 'nodes.view') ? <NodesCard /> : null}
        {hasScope(user, 'nodes.view') ? <UptimeCard /> : null}
        {hasScope(user, 'alerts.view') ? <OpenAlertsCard /> : null}
        {hasScope(user, 'backups.manage') ? <BackupStatusCard /> : null}
        {hasScope(user, 'admin') ? <ChecklistCard /> : null}
        <div class="card">
          <h2>Go to</h2>
          <ul class="link-list">
            {shortcuts.map((route) => (
              <li key={route.path}>
                <Link href={route.path}>{route.label}</Link>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
