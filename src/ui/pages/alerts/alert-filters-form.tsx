// Filter form of the inbox: statuses, lowest severity, source, text, "assigned to me", and the sort order.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ALERT_SOURCES, ALERT_STATUSES, type AlertSort, type AlertSource, type AlertStatus, type SortOrder } from '../../api/alerts.types.ts';
import type { Severity } from '../../api/types.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';
import { defaultAlertFilters, type AlertFilters } from './alert-filters.ts';
import { statusLabels } from './alert-status-badge.tsx';

const severityOptions = [
  { value: '', label: 'Any severity' },
  { value: 'low', label: 'Low and higher' },
  { value: 'medium', label: 'Medium and higher' },
  { value: 'high', label: 'High and higher' },
  { value: 'critical', label: 'Critical only' },
];

const sourceOptions = [{ value: '', label: 'All sources' }, ...ALERT_SOURCES.map((source) => ({ value: source, label: source }))];

const sortOptions: { value: AlertSort; label: string }[] = [
  { value: 'last_seen', label: 'Last seen' },
  { value: 'first_seen', label: 'First seen' },
  { value: 'severity', label: 'Severity' },
  { value: 'count', label: 'Count' },
];

const orderOptions: { value: SortOrder; label: string }[] = [
  { value: 'desc', label: 'Newest or highest first' },
  { value: 'asc', label: 'Oldest or lowest first' },
];

type AlertFiltersFormProps = {
  /** The filters in force; the form starts from them (give it a new key when they change from outside). */
  initial: AlertFilters;
  onApply: (filters: AlertFilters) => void;
};

export function AlertFiltersForm({ initial, onApply }: AlertFiltersFormProps) {
  const [draft, setDraft] = useState<AlertFilters>(initial);
  const set = <K extends keyof AlertFilters>(key: K, value: AlertFilters[K]) => setDraft((prev) => ({ ...prev, [key]: value }));
  const toggleStatus = (status: AlertStatus, checked: boolean) =>
    setDraft((prev) => ({
      ...prev,
      status: checked ? ALERT_STATUSES.filter((s) => s === status || prev.status.includes(s)) : prev.status.filter((s) => s !== status),
    }));

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply({ ...draft, q: draft.q.trim() });
  };
  const reset = () => {
    setDraft(defaultAlertFilters);
    onApply(defaultAlertFilters);
  };

  return (
    <form class="card form filters" onSubmit={submit} role="search" aria-label="Filter alerts">
      <fieldset class="fieldset">
        <legend>Status</legend>
        <div class="check-row">
          {ALERT_STATUSES.map((status) => (
            <CheckboxField
              key={status}
              label={statusLabels[status]}
              checked={draft.status.includes(status)}
              onChecked={(checked) => toggleStatus(status, checked)}
              testId={`alerts-filter-status-${status}`}
            />
          ))}
        </div>
        <p class="field-hint">None ticked: every status.</p>
      </fieldset>
      <div class="filter-grid">
        <SelectField
          label="Severity"
          value={draft.minSeverity}
          onValue={(value) => set('minSeverity', value as Severity | '')}
          options={severityOptions}
          testId="alerts-filter-severity"
        />
        <SelectField
          label="Source"
          value={draft.source}
          onValue={(value) => set('source', value as AlertSource | '')}
          options={sourceOptions}
          testId="alerts-filter-source"
        />
        <TextField
          label="Text"
          type="search"
          value={draft.q}
          onValue={(value) => set('q', value)}
          testId="alerts-filter-q"
          placeholder="in the title or summary"
          maxLength={200}
        />
        <SelectField
          label="Sort by"
          value={draft.sort}
          onValue={(value) => set('sort', value as AlertSort)}
          options={sortOptions}
          testId="alerts-sort"
        />
        <SelectField
          label="Order"
          value={draft.order}
          onValue={(value) => set('order', value as SortOrder)}
          options={orderOptions}
          testId="alerts-order"
        />
      </div>
      <CheckboxField label="Only alerts assigned to me" checked={draft.mine} onChecked={(checked) => set('mine', checked)} testId="alerts-filter-mine" />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="alerts-filter-apply">
          Apply filters
        </button>
        <button type="button" class="btn" onClick={reset} data-testid="alerts-filter-reset">
          Reset
        </button>
      </div>
    </form>
  );
}
