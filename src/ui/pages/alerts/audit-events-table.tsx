// A compact table of audit events (evidence of an alert, or activity related to it), newest or oldest first as given.
import type { AlertAuditEvent } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';

const outcomeBadge: Record<AlertAuditEvent['outcome'], string> = {
  success: 'badge badge-success',
  failure: 'badge badge-danger',
  denied: 'badge badge-warning',
};

/** The detail gives times in ms since the epoch (GET /audit gives ISO); both are shown the same. */
const isoOf = (ts: number | string): string => new Date(typeof ts === 'number' ? ts : Number.isNaN(Number(ts)) ? ts : Number(ts)).toISOString();

function actorText(event: AlertAuditEvent): string {
  if (event.actor.type === 'system') return event.actor.name ? `${event.actor.name} (system)` : 'system';
  const who = event.actor.name ?? event.actor.id ?? 'unknown';
  return event.actor.type === 'client' ? `${who} (API client)` : who;
}

function targetText(event: AlertAuditEvent): string {
  const { type, name, id } = event.target;
  if (!type && !name && !id) return '—';
  return [type, name ?? id].filter(Boolean).join(': ');
}

type AuditEventsTableProps = {
  events: AlertAuditEvent[];
  caption: string;
  testId: string;
};

export function AuditEventsTable({ events, caption, testId }: AuditEventsTableProps) {
  return (
    <div class="table-wrap">
      <table class="table table-compact" data-testid={testId}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Type</th>
            <th scope="col">Actor</th>
            <th scope="col">IP</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>
                <TimeText iso={isoOf(event.ts)} withSeconds />
              </td>
              <td class="mono">{event.type}</td>
              <td>{actorText(event)}</td>
              <td class="mono">{event.ip ?? '—'}</td>
              <td class="cell-wrap">{targetText(event)}</td>
              <td>
                <span class={outcomeBadge[event.outcome] ?? 'badge badge-neutral'}>{event.outcome}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
