// Filter form of the audit log: event type, actor, IP and a local-time range.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { AuditFilters } from '../../api/types.ts';
import { TextField } from '../../components/text-field.tsx';

export const emptyAuditFilters: AuditFilters = { type: '', actor: '', ip: '', from: '', to: '' };

type AuditFiltersFormProps = {
  /** Receives the filters with from/to still as datetime-local values. */
  onApply: (filters: AuditFilters) => void;
  /** The filters the page opened with. */
  initial?: AuditFilters;
};

export function AuditFiltersForm({ onApply, initial = emptyAuditFilters }: AuditFiltersFormProps) {
  const [draft, setDraft] = useState<AuditFilters>(initial);
  const set = (key: keyof AuditFilters) => (value: string) => setDraft((prev) => ({ ...prev, [key]: value }));

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(draft);
  };
  const reset = () => {
    setDraft(emptyAuditFilters);
    onApply(emptyAuditFilters);
  };

  return (
    <form class="card form filters" onSubmit={submit} role="search" aria-label="Filter audit events">
      <div class="filter-grid">
        <TextField label="Event type" value={draft.type} onValue={set('type')} testId="audit-filter-type" placeholder="e.g. auth.login" />
        <TextField label="Actor" value={draft.actor} onValue={set('actor')} testId="audit-filter-actor" placeholder="username or id" />
        <TextField label="IP address" value={draft.ip} onValue={set('ip')} testId="audit-filter-ip" />
        <TextField label="From" type="datetime-local" value={draft.from} onValue={set('from')} testId="audit-filter-from" />
        <TextField label="To" type="datetime-local" value={draft.to} onValue={set('to')} testId="audit-filter-to" />
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="audit-filter-apply">
          Apply filters
        </button>
        <button type="button" class="btn" onClick={reset} data-testid="audit-filter-reset">
          Reset
        </button>
      </div>
    </form>
  );
}
