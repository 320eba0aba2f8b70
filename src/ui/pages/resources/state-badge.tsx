// A badge naming the state of a threshold rule (or of one of its targets): firing, pending, ok, or disabled.
import type { RuleState } from '../../api/resources.api.ts';

const badges: Record<RuleState | 'disabled', [string, string]> = {
  firing: ['badge badge-danger', 'Firing'],
  pending: ['badge badge-warning', 'Pending'],
  ok: ['badge badge-success', 'OK'],
  disabled: ['badge badge-neutral', 'Disabled'],
};

export function StateBadge({ state }: { state: RuleState | 'disabled' }) {
  const [cls, label] = badges[state];
  return (
    <span class={cls} data-testid="rule-state">
      {label}
    </span>
  );
}
