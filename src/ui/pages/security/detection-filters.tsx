// Filter form of the detections list: the rule (from the rules in force) and the address.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { DetectionFilters } from '../../api/types.ts';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';

export const emptyDetectionFilters: DetectionFilters = { rule: '', ip: '' };

type DetectionFiltersFormProps = {
  ruleIds: readonly string[];
  onApply: (filters: DetectionFilters) => void;
};

export function DetectionFiltersForm({ ruleIds, onApply }: DetectionFiltersFormProps) {
  const [draft, setDraft] = useState<DetectionFilters>(emptyDetectionFilters);
  const set = (key: keyof DetectionFilters) => (value: string) => setDraft((prev) => ({ ...prev, [key]: value }));
  const ruleOptions = [{ value: '', label: 'All rules' }, ...ruleIds.map((id) => ({ value: id, label: id }))];

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply({ rule: draft.rule, ip: draft.ip.trim() });
  };
  const reset = () => {
    setDraft(emptyDetectionFilters);
    onApply(emptyDetectionFilters);
  };

  return (
    <form class="card form filters" onSubmit={submit} role="search" aria-label="Filter detections">
      <div class="filter-grid">
        <SelectField label="Rule" value={draft.rule} onValue={set('rule')} options={ruleOptions} testId="detections-filter-rule" />
        <TextField label="IP address" value={draft.ip} onValue={set('ip')} testId="detections-filter-ip" placeholder="e.g. 203.0.113.7" />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="detections-filter-apply">
          Apply filters
        </button>
        <button type="button" class="btn" onClick={reset} data-testid="detections-filter-reset">
          Reset
        </button>
      </div>
    </form>
  );
}
