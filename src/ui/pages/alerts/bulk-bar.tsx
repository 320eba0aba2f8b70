// Acknowledge or resolve the ticked alerts at once, with an optional note written on each one's timeline.
import { useState } from 'preact/hooks';
import type { BulkAction } from '../../api/alerts.types.ts';
import { TextField } from '../../components/text-field.tsx';

type BulkBarProps = {
  count: number;
  busy: boolean;
  onRun: (action: BulkAction, note: string) => Promise<boolean>;
  onClear: () => void;
};

export function BulkBar({ count, busy, onRun, onClear }: BulkBarProps) {
  const [note, setNote] = useState('');
  const run = async (action: BulkAction) => {
    if (await onRun(action, note)) setNote('');
  };
  return (
    <div class="card bulk-bar" role="group" aria-labelledby="alerts-bulk-title" data-testid="alerts-bulk">
      <p id="alerts-bulk-title" class="bulk-count">
        {count} alert{count === 1 ? '' : 's'} selected
      </p>
      <TextField label="Note (optional)" value={note} onValue={setNote} testId="alerts-bulk-note" maxLength={2000} autoComplete="off" />
      <div class="form-actions">
        <button type="button" class="btn" onClick={() => void run('acknowledge')} disabled={busy} data-testid="alerts-bulk-ack">
          Acknowledge
        </button>
        <button type="button" class="btn btn-primary" onClick={() => void run('resolve')} disabled={busy} data-testid="alerts-bulk-resolve">
          Resolve
        </button>
        <button type="button" class="btn btn-ghost" onClick={onClear} disabled={busy} data-testid="alerts-bulk-clear">
          Clear selection
        </button>
      </div>
    </div>
  );
}
