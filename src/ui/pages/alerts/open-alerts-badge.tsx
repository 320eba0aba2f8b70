// The number of open alerts beside "Alerts" in the navigation; read again on each navigation and every minute.
import { useEffect } from 'preact/hooks';
import { useLocation } from '../../router/history.ts';
import { usePolling } from '../../hooks/use-polling.ts';
import { refreshAlertCounts, useOpenAlertCount } from './open-alerts-count.ts';

const REFRESH_MS = 60_000;

export function OpenAlertsBadge() {
  const count = useOpenAlertCount();
  const { path } = useLocation();
  useEffect(() => {
    void refreshAlertCounts();
  }, [path]);
  usePolling(() => void refreshAlertCounts(), REFRESH_MS);
  if (!count) return null;
  return (
    <span class="nav-badge" data-testid="nav-alerts-open">
      {count}
      <span class="visually-hidden"> open</span>
    </span>
  );
}
