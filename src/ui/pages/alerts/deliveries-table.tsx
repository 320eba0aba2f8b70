// The notifications sent (or being sent) about an alert: to which channel, what, how it went and when.
import type { Delivery, DeliveryStatus } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';

const statusClass: Record<DeliveryStatus, string> = {
  held: 'badge badge-neutral',
  pending: 'badge badge-info',
  delivered: 'badge badge-success',
  failed: 'badge badge-danger',
  expired: 'badge badge-danger',
};

function When({ delivery }: { delivery: Delivery }) {
  if (delivery.deliveredAt) return <TimeText iso={delivery.deliveredAt} withSeconds />;
  if (delivery.nextAttemptAt && (delivery.status === 'pending' || delivery.status === 'held')) {
    return (
      <>
        next attempt <TimeText iso={delivery.nextAttemptAt} withSeconds />
      </>
    );
  }
  return <span class="muted">—</span>;
}

export function DeliveriesTable({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) {
    return (
      <p class="muted" data-testid="alert-deliveries-empty">
        No notification was sent about this alert (no channel takes its severity and source, or none is set up).
      </p>
    );
  }
  return (
    <div class="table-wrap">
      <table class="table table-compact" data-testid="alert-deliveries">
        <caption class="visually-hidden">Notifications about this alert</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Delivered or next attempt</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-testid="alert-delivery">
              <th scope="row">{delivery.channelName ?? <span class="muted">deleted channel</span>}</th>
              <td>{delivery.kind}</td>
              <td>
                <span class={statusClass[delivery.status] ?? 'badge badge-neutral'}>{delivery.status}</span>
              </td>
              <td>{delivery.attempts}</td>
              <td class="cell-wrap">{delivery.lastError ?? <span class="muted">—</span>}</td>
              <td>
                <When delivery={delivery} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
