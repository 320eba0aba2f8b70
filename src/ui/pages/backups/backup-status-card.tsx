// Dashboard card: the newest backup, whether backups are set up, and the last restore test.
import { getBackups } from '../../api/backups.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { Link } from '../../router/link.tsx';
import { RestoreTestFacts } from './restore-test-facts.tsx';

export function BackupStatusCard() {
  const overview = useLoad(getBackups);
  const data = overview.data;
  const newest = data?.items[0];
  return (
    <div class="card" data-testid="dashboard-backups">
      <h2>Backups</h2>
      <ErrorMessage message={overview.error} />
      {overview.loading ? <Loading /> : null}
      {data ? (
        <dl class="facts">
          <dt>Newest</dt>
          <dd data-testid="dashboard-backup-newest">
            {!data.encryption ? <span class="badge badge-warning badge-inline">Not set up</span> : newest ? <TimeText iso={newest.createdAt} /> : <span class="muted">None yet</span>}
          </dd>
          <dt>Restore test</dt>
          <dd>
            <RestoreTestFacts result={data.lastRestoreTest} everyDays={data.schedule.restoreTestDays} />
          </dd>
        </dl>
      ) : null}
      <p class="card-link">
        <Link href="/backups">Backups</Link>
      </p>
    </div>
  );
}
