// Form to ban an address by hand: the address, for how many minutes (empty: until lifted) and why.
import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { createBan } from '../../api/monitor.api.ts';
import type { Ban } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { describeBanError } from './ban-error.ts';
import { buildBanInput, DEFAULT_BAN_MINUTES, MAX_BAN_MINUTES, MAX_REASON_LENGTH } from './ban-input.ts';

type BanFormProps = {
  /** A ban is being asked for: messages of earlier actions no longer apply. */
  onSubmit: () => void;
  onBanned: (ban: Ban) => void;
};

export function BanForm({ onSubmit, onBanned }: BanFormProps) {
  const [ip, setIp] = useState('');
  const [minutes, setMinutes] = useState(String(DEFAULT_BAN_MINUTES));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ipInput = useRef<HTMLInputElement>(null);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit();
    const built = buildBanInput({ ip, minutes, reason });
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onBanned(await createBan(built.input));
      setIp('');
      setReason('');
      setMinutes(String(DEFAULT_BAN_MINUTES));
    } catch (err) {
      setError(describeBanError(err));
      ipInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="ban-form-title" data-testid="ban-form">
      <h3 id="ban-form-title">Ban an address</h3>
      <div class="form-grid">
        <TextField
          label="IP address"
          value={ip}
          onValue={setIp}
          testId="ban-form-ip"
          inputRef={ipInput}
          hint="An IPv6 address bans its whole /64."
          placeholder="e.g. 203.0.113.7"
          autoComplete="off"
          maxLength={64}
          required
        />
        <TextField
          label="Duration (minutes)"
          type="number"
          value={minutes}
          onValue={setMinutes}
          testId="ban-form-minutes"
          hint="Empty: until lifted. At most one year (525600)."
          min={1}
          max={MAX_BAN_MINUTES}
          step={1}
        />
        <TextField
          label="Reason"
          value={reason}
          onValue={setReason}
          testId="ban-form-reason"
          hint="Shown in the list of bans and recorded in the audit log."
          autoComplete="off"
          maxLength={MAX_REASON_LENGTH}
          required
        />
      </div>
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="ban-form-submit">
          {busy ? 'Banning…' : 'Ban address'}
        </button>
      </div>
    </form>
  );
}
