// A badge naming a detection severity, coloured from calm (info) to alarming (critical).
import type { Severity } from '../../api/types.ts';

const severityClass: Record<Severity, string> = {
  info: 'badge badge-neutral',
  low: 'badge badge-info',
  medium: 'badge badge-warning',
  high: 'badge badge-danger',
  critical: 'badge badge-critical',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span class={severityClass[severity] ?? 'badge badge-neutral'} data-testid="severity">
      {severity}
    </span>
  );
}
