// One audit event as a table row; clicking it (or its toggle button) shows the details JSON.
import type { AuditEvent } from '../../api/types.ts';
import { DisclosureTime } from '../../components/disclosure-time.tsx';

type AuditRowProps = {
  event: AuditEvent;
  expanded: boolean;
  onToggle: () => void;
};

const COLUMNS = 6;

function actorText(event: AuditEvent): string {
  if (event.actor.type === 'system') return 'system';
  const who = event.actor.name ?? event.actor.id ?? 'unknown';
  return event.actor.type === 'client' ? `${who} (API client)` : who;
}

function targetText(event: AuditEvent): string {
  const { type, name, id } = event.target;
  if (!type && !name && !id) return '—';
  return [type, name ?? id].filter(Boolean).join(': ');
}

const outcomeBadge: Record<AuditEvent['outcome'], string> = {
  success: 'badge badge-success',
  failure: 'badge badge-danger',
  denied: 'badge badge-warning',
};

export function AuditRow({ event, expanded, onToggle }: AuditRowProps) {
  const detailsId = `audit-details-${event.id}`;
  return (
    <>
      <tr class={expanded ? 'row-clickable row-expanded' : 'row-clickable'} onClick={onToggle} data-testid="audit-row">
        <td>
          <DisclosureTime iso={event.ts} expanded={expanded} controls={detailsId} what="details of event at" onToggle={onToggle} />
        </td>
        <td class="mono">{event.type}</td>
        <td>{actorText(event)}</td>
        <td class="mono">{event.ip ?? '—'}</td>
        <td class="cell-wrap">{targetText(event)}</td>
        <td>
          <span class={outcomeBadge[event.outcome] ?? 'badge badge-neutral'}>{event.outcome}</span>
        </td>
      </tr>
      {expanded ? (
        <tr class="row-details" id={detailsId}>
          <td colSpan={COLUMNS}>
            <dl class="facts facts-inline">
              <dt>Event id</dt>
              <dd class="mono">{event.id}</dd>
              {event.actor.id ? (
                <>
                  <dt>Actor id</dt>
                  <dd class="mono">{event.actor.id}</dd>
                </>
              ) : null}
              {event.target.id ? (
                <>
                  <dt>Target id</dt>
                  <dd class="mono">{event.target.id}</dd>
                </>
              ) : null}
              {event.userAgent ? (
                <>
                  <dt>User agent</dt>
                  <dd class="cell-wrap">{event.userAgent}</dd>
                </>
              ) : null}
            </dl>
            <pre class="json" data-testid="audit-details">
              {JSON.stringify(event.details ?? {}, null, 2)}
            </pre>
          </td>
        </tr>
      ) : null}
    </>
  );
}
