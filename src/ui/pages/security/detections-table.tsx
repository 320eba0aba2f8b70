// The table of detections, newest first, with rows that expand to their evidence.
import type { Detection } from '../../api/types.ts';
import { DETECTION_COLUMNS, DetectionRow } from './detection-row.tsx';

type DetectionsTableProps = {
  detections: Detection[];
  expanded: ReadonlySet<number>;
  onToggle: (id: number) => void;
  emptyText: string;
};

export function DetectionsTable({ detections, expanded, onToggle, emptyText }: DetectionsTableProps) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="detections-table">
        <caption class="visually-hidden">Detections</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Severity</th>
            <th scope="col">Rule</th>
            <th scope="col">Key</th>
            <th scope="col">IP</th>
            <th scope="col">User</th>
            <th scope="col">Count</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {detections.length === 0 ? (
            <tr>
              <td colSpan={DETECTION_COLUMNS} class="empty" data-testid="detections-empty">
                {emptyText}
              </td>
            </tr>
          ) : (
            detections.map((detection) => (
              <DetectionRow
                key={detection.id}
                detection={detection}
                expanded={expanded.has(detection.id)}
                onToggle={() => onToggle(detection.id)}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
