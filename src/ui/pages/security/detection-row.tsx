// One detection as a table row; clicking it (or its toggle button) shows the events behind it and the rule's details.
import type { Detection } from '../../api/types.ts';
import { DisclosureTime } from '../../components/disclosure-time.tsx';
import { formatDateTime } from '../../util/format.ts';
import { DetectionEvidence } from './detection-evidence.tsx';
import { SeverityBadge } from './severity-badge.tsx';

type DetectionRowProps = {
  detection: Detection;
  expanded: boolean;
  onToggle: () => void;
};

export const DETECTION_COLUMNS = 8;

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/** The outcome with its timestamps ("banned until 2026-…") in local time, like every other time on the page. */
const localOutcome = (outcome: string) => outcome.replace(ISO_TIME, (iso) => formatDateTime(iso));

function Outcome({ detection }: { detection: Detection }) {
  if (!detection.simulated && !detection.outcome) return <span class="muted">—</span>;
  return (
    <>
      {detection.simulated ? <span class="badge badge-info">simulated</span> : null}
      {detection.simulated && detection.outcome ? ' ' : null}
      <span title={detection.outcome || undefined}>{localOutcome(detection.outcome)}</span>
    </>
  );
}

export function DetectionRow({ detection, expanded, onToggle }: DetectionRowProps) {
  const detailsId = `detection-details-${detection.id}`;
  const details = detection.details ?? {};
  return (
    <>
      <tr class={expanded ? 'row-clickable row-expanded' : 'row-clickable'} onClick={onToggle} data-testid="detection-row">
        <td>
          <DisclosureTime iso={detection.ts} expanded={expanded} controls={detailsId} what="events of detection at" onToggle={onToggle} />
        </td>
        <td>
          <SeverityBadge severity={detection.severity} />
        </td>
        <td class="mono">{detection.rule}</td>
        <td class="mono cell-wrap">{detection.key}</td>
        <td class="mono">{detection.ip ?? '—'}</td>
        <td>{detection.user ?? <span class="muted">—</span>}</td>
        <td>{detection.count}</td>
        <td class="cell-shrink" data-testid="detection-outcome">
          <Outcome detection={detection} />
        </td>
      </tr>
      {expanded ? (
        <tr class="row-details" id={detailsId}>
          <td colSpan={DETECTION_COLUMNS}>
            <h3 class="details-title">
              Events behind this detection <span class="muted small">({detection.evidence.length} kept)</span>
            </h3>
            <DetectionEvidence evidence={detection.evidence} />
            {Object.keys(details).length > 0 ? (
              <>
                <h3 class="details-title">Details</h3>
                <pre class="json" data-testid="detection-details">
                  {JSON.stringify(details, null, 2)}
                </pre>
              </>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
