// The inbox table: one page of alerts, with a checkbox per row and one for the whole page when the user may act.
import type { AlertSummary } from '../../api/alerts.types.ts';
import { AlertRow } from './alert-row.tsx';

type AlertsTableProps = {
  alerts: AlertSummary[];
  selectable: boolean;
  selected: ReadonlySet<number>;
  fresh: ReadonlySet<number>;
  emptyText: string;
  onSelect: (id: number, selected: boolean) => void;
  onSelectAll: (selected: boolean) => void;
};

export function AlertsTable({ alerts, selectable, selected, fresh, emptyText, onSelect, onSelectAll }: AlertsTableProps) {
  const allSelected = alerts.length > 0 && alerts.every((alert) => selected.has(alert.id));
  return (
    <div class="table-wrap">
      <table class="table" data-testid="alerts-table">
        <caption class="visually-hidden">Alerts</caption>
        <thead>
          <tr>
            {selectable ? (
              <th scope="col" class="cell-check">
                <input
                  type="checkbox"
                  checked={allSelected}
                  disabled={alerts.length === 0}
                  onChange={(event) => onSelectAll(event.currentTarget.checked)}
                  aria-label="Select every alert on this page"
                  data-testid="alerts-select-all"
                />
              </th>
            ) : null}
            <th scope="col">Severity</th>
            <th scope="col">Alert</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Count</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {alerts.length === 0 ? (
            <tr>
              <td colSpan={selectable ? 7 : 6} class="empty" data-testid="alerts-empty">
                {emptyText}
              </td>
            </tr>
          ) : (
            alerts.map((alert) => (
              <AlertRow
                key={alert.id}
                alert={alert}
                selectable={selectable}
                selected={selected.has(alert.id)}
                fresh={fresh.has(alert.id)}
                onSelect={onSelect}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
