// How many alerts are in each status (whatever the filters); each count shows the alerts of that status when pressed.
import { ALERT_STATUSES, type AlertCounts, type AlertStatus } from '../../api/alerts.types.ts';
import { statusLabels } from './alert-status-badge.tsx';

type AlertCountsBarProps = {
  counts: AlertCounts | null;
  /** The statuses the list shows now. */
  current: readonly AlertStatus[];
  onShow: (status: AlertStatus) => void;
};

export function AlertCountsBar({ counts, current, onShow }: AlertCountsBarProps) {
  return (
    <ul class="alert-counts" aria-label="Alerts by status" data-testid="alerts-counts">
      {ALERT_STATUSES.map((status) => (
        <li key={status}>
          <button
            type="button"
            class={`count-tile count-tile-${status}`}
            aria-pressed={current.length === 1 && current[0] === status}
            onClick={() => onShow(status)}
            data-testid={`alerts-count-${status}`}
          >
            <span class="count-value">{counts ? counts[status] : '…'}</span>
            <span class="count-label">{statusLabels[status]}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
