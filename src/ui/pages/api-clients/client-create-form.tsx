// Form to create an API client: name, scopes (own global ones, and per-server ones by line), allowed addresses and token lifetime.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { createClient } from '../../api/clients.api.ts';
import type { ApiClientSecret, ApiClientsMeta } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { TextareaField } from '../../components/textarea-field.tsx';
import { buildClientInput, ttlBounds, ttlRangeText } from './client-input.ts';
import { describeClientError } from './client-error.ts';
import { ClientScopePicker } from './client-scope-picker.tsx';

type ClientCreateFormProps = {
  /** The server's token lifetime limits; null while unknown (the server still checks). */
  meta: ApiClientsMeta | null;
  heldScopes: readonly string[];
  onCreated: (result: ApiClientSecret) => void;
  onCancel: () => void;
};

export function ClientCreateForm({ meta, heldScopes, onCreated, onCancel }: ClientCreateFormProps) {
  const bounds = ttlBounds(meta);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [serverScopes, setServerScopes] = useState('');
  const [allowedIps, setAllowedIps] = useState('');
  const [ttlMinutes, setTtlMinutes] = useState(String(bounds.defaultMinutes));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (scope: string, checked: boolean) =>
    setScopes((prev) => (checked ? [...prev, scope] : prev.filter((s) => s !== scope)));

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = buildClientInput({ name, scopes, serverScopes, allowedIps, ttlMinutes }, bounds);
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await createClient(built.input));
    } catch (err) {
      setError(describeClientError(err));
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="client-create-title" data-testid="client-form">
      <h2 id="client-create-title">New API client</h2>
      <div class="form-grid">
        <TextField
          label="Name"
          value={name}
          onValue={setName}
          testId="client-form-name"
          hint="Say what uses it, for example backup-script or ci-deploy."
          autoComplete="off"
          required
          maxLength={64}
          autoFocus
        />
        <TextField
          label="Token lifetime (minutes)"
          type="number"
          value={ttlMinutes}
          onValue={setTtlMinutes}
          testId="client-form-ttl"
          hint={`How long each access token stays valid: ${ttlRangeText(bounds)}.`}
          min={1}
          max={bounds.maxMinutes ?? undefined}
          step={1}
          required
        />
      </div>
      <ClientScopePicker held={heldScopes} selected={scopes} onToggle={toggle} />
      <TextareaField
        label="Per-server scopes (optional)"
        value={serverScopes}
        onValue={setServerScopes}
        testId="client-form-server-scopes"
        placeholder="server.start:SERVER_ID"
        hint="One per line as scope:serverId, to allow something on a single server only, for example server.start:SERVER_ID."
      />
      <TextareaField
        label="Allowed IP addresses (optional)"
        value={allowedIps}
        onValue={setAllowedIps}
        testId="client-form-ips"
        placeholder="203.0.113.0/24"
        hint="One address or CIDR range per line; only these can get tokens. Empty = any address. Text after # is ignored."
      />
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="client-form-submit">
          {busy ? 'Creating…' : 'Create client'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
