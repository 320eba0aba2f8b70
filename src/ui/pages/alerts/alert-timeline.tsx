// An alert's timeline, oldest first: raised, escalated, acknowledged, assigned, notes, responses, resolved, reopened.
import type { TimelineEntry } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { localizeTimes } from '../../util/format.ts';

const kindLabels: Record<string, string> = {
  created: 'Raised',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  reopened: 'Reopened',
  assigned: 'Assigned',
  note: 'Note',
  action: 'Response',
};

function actorText(actor: TimelineEntry['actor']): string {
  if (actor.type === 'system') return actor.name ? `${actor.name} (system)` : 'the panel';
  const who = actor.name ?? actor.id ?? 'unknown';
  return actor.type === 'client' ? `${who} (API client)` : who;
}

export function AlertTimeline({ timeline }: { timeline: TimelineEntry[] }) {
  if (timeline.length === 0) return <p class="muted">Nothing happened to this alert yet.</p>;
  return (
    <ol class="timeline" data-testid="alert-timeline">
      {timeline.map((entry) => (
        <li key={entry.id} class={`timeline-item timeline-${entry.kind}`} data-testid="timeline-entry" data-kind={entry.kind}>
          <span class="timeline-kind">{kindLabels[entry.kind] ?? entry.kind}</span>
          <p class="timeline-text" title={entry.text}>
            {localizeTimes(entry.text)}
          </p>
          <p class="muted small">
            by <span data-testid="timeline-actor">{actorText(entry.actor)}</span> · <TimeText iso={entry.ts} withSeconds />
          </p>
        </li>
      ))}
    </ol>
  );
}
