// One detection rule as a table row: what it looks for, what it does, where it is defined and how often it fired.
import type { MonitorRule } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { SeverityBadge } from './severity-badge.tsx';

function Status({ rule }: { rule: MonitorRule }) {
  if (!rule.enabled) return <span class="badge badge-neutral">Disabled</span>;
  if (rule.simulate) return <span class="badge badge-warning">Simulate</span>;
  return <span class="badge badge-success">Enabled</span>;
}

export function RuleRow({ rule }: { rule: MonitorRule }) {
  return (
    <tr data-testid={`rule-row-${rule.id}`}>
      <th scope="row" class="cell-wrap cell-wide">
        <span class="mono">{rule.id}</span>
        <div class="cell-note muted small" data-testid="rule-description">
          {rule.description}
        </div>
      </th>
      <td class="mono">{rule.kind}</td>
      <td>
        <SeverityBadge severity={rule.severity} />
      </td>
      <td>
        {rule.actions.length ? (
          <ul class="chips chips-nowrap" aria-label={`Actions of ${rule.id}`}>
            {rule.actions.map((action) => (
              <li key={action} class="chip chip-small">
                {action}
              </li>
            ))}
          </ul>
        ) : (
          <span class="muted">none</span>
        )}
      </td>
      <td class="mono">{rule.file}</td>
      <td data-testid="rule-status">
        <Status rule={rule} />
      </td>
      <td data-testid="rule-detections">
        {rule.detections}
        {rule.keys > 0 ? (
          <div class="muted small">
            {rule.keys} key{rule.keys === 1 ? '' : 's'} tracked now
          </div>
        ) : null}
      </td>
      <td class="cell-shrink">{rule.lastDetectionAt ? <TimeText iso={rule.lastDetectionAt} /> : <span class="muted">never</span>}</td>
    </tr>
  );
}
