// One alert as a row of the inbox: a checkbox (for those who may act), severity, title linking to the detail, and status.
import type { AlertSummary } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { Link } from '../../router/link.tsx';
import { SeverityBadge } from '../security/severity-badge.tsx';
import { AlertStatusBadge } from './alert-status-badge.tsx';
import { alertPath } from './alerts-sections.ts';

type AlertRowProps = {
  alert: AlertSummary;
  selectable: boolean;
  selected: boolean;
  /** Arrived through the live stream since the list was loaded. */
  fresh: boolean;
  onSelect: (id: number, selected: boolean) => void;
};

export function AlertRow({ alert, selectable, selected, fresh, onSelect }: AlertRowProps) {
  const subject = [alert.ip, alert.user].filter(Boolean).join(' · ');
  return (
    <tr class={fresh ? 'row-fresh' : undefined} data-testid="alert-row" data-alert-id={alert.id}>
      {selectable ? (
        <td class="cell-check">
          <input
            type="checkbox"
            checked={selected}
            onChange={(event) => onSelect(alert.id, event.currentTarget.checked)}
            aria-label={`Select alert: ${alert.title}`}
            data-testid="alert-select"
          />
        </td>
      ) : null}
      <td>
        <SeverityBadge severity={alert.severity} />
      </td>
      <th scope="row" class="cell-wrap cell-wide">
        <Link href={alertPath(alert.id)} data-testid="alert-link">
          {alert.title}
        </Link>
        {fresh ? <span class="badge badge-info badge-inline">new</span> : null}
        {subject ? <div class="cell-note muted small mono">{subject}</div> : null}
      </th>
      <td>{alert.source}</td>
      <td>
        <AlertStatusBadge status={alert.status} />
      </td>
      <td data-testid="alert-count">{alert.count}</td>
      <td>
        <TimeText iso={alert.lastSeen} />
        <div class="muted small">
          first <TimeText iso={alert.firstSeen} />
        </div>
      </td>
    </tr>
  );
}
