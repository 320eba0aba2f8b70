// A badge naming a checklist item's status: pass, warn or fail.
import type { CheckStatus } from '../../api/checklist.api.ts';

const badges: Record<CheckStatus, [string, string]> = {
  pass: ['badge badge-success', 'Pass'],
  warn: ['badge badge-warning', 'Warn'],
  fail: ['badge badge-danger', 'Fail'],
};

export function CheckStatusBadge({ status }: { status: CheckStatus }) {
  const [cls, label] = badges[status];
  return (
    <span class={cls} data-testid="check-status">
      {label}
    </span>
  );
}
