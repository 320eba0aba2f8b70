// A badge naming an alert's status: open (needs someone), acknowledged (someone is on it), resolved.
import type { AlertStatus } from '../../api/alerts.types.ts';

const statusClass: Record<AlertStatus, string> = {
  open: 'badge badge-danger',
  acknowledged: 'badge badge-warning',
  resolved: 'badge badge-success',
};

export const statusLabels: Record<AlertStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export function AlertStatusBadge({ status }: { status: AlertStatus }) {
  return (
    <span class={statusClass[status] ?? 'badge badge-neutral'} data-testid="alert-status">
      {statusLabels[status] ?? status}
    </span>
  );
}
