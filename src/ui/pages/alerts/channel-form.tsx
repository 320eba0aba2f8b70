// Form to add a notification channel or change one: its type and connection settings, and which alerts it gets and how often.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { createChannel, updateChannel } from '../../api/alert-channels.api.ts';
import { describeError } from '../../api/api-error.ts';
import { ALERT_SOURCES, SEVERITIES, type AlertChannel, type AlertSource, type ChannelType } from '../../api/alerts.types.ts';
import type { Severity } from '../../api/types.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';
import { ChannelConfigFields } from './channel-config-fields.tsx';
import { buildChannelPatch, buildNewChannel, draftOf, emptyChannelDraft, MAX_NAME, URL_TYPES, type ChannelDraft } from './channel-input.ts';

type ChannelFormProps = {
  /** The channel to change; null adds one. */
  channel: AlertChannel | null;
  types: ChannelType[];
  /** Holds admin: may let a channel reach private and loopback addresses. */
  isAdmin: boolean;
  onSaved: (channel: AlertChannel) => void;
  onCancel: () => void;
};

const severityOptions = SEVERITIES.map((severity) => ({ value: severity, label: severity === 'critical' ? 'critical only' : `${severity} and higher` }));

export function ChannelForm({ channel, types, isAdmin, onSaved, onCancel }: ChannelFormProps) {
  const editing = channel !== null;
  const [draft, setDraft] = useState<ChannelDraft>(() => (channel ? draftOf(channel) : emptyChannelDraft(types[0]?.type ?? 'email')));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ChannelDraft>(key: K, value: ChannelDraft[K]) => setDraft((prev) => ({ ...prev, [key]: value }));
  const toggleSource = (source: AlertSource, on: boolean) =>
    setDraft((prev) => ({ ...prev, sources: on ? ALERT_SOURCES.filter((s) => s === source || prev.sources.includes(s)) : prev.sources.filter((s) => s !== source) }));
  const titleId = editing ? 'channel-edit-title' : 'channel-create-title';

  const save = async (): Promise<AlertChannel | string> => {
    if (channel) {
      const patch = buildChannelPatch(draft, isAdmin);
      return 'error' in patch ? patch.error : updateChannel(channel.id, patch.value);
    }
    const input = buildNewChannel(draft, isAdmin);
    return 'error' in input ? input.error : createChannel(input.value);
  };

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await save();
      if (typeof saved === 'string') {
        setError(saved);
        setBusy(false);
      } else {
        onSaved(saved);
      }
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <form class="card form channel-form" onSubmit={submit} aria-labelledby={titleId} data-testid="channel-form">
      <h3 id={titleId}>{editing ? `Change ${channel.name}` : 'New channel'}</h3>
      <div class="form-grid">
        <SelectField
          label="Type"
          value={draft.type}
          onValue={(type) => setDraft((prev) => ({ ...emptyChannelDraft(type), name: prev.name }))}
          options={types.map((type) => ({ value: type.type, label: type.label }))}
          testId="channel-form-type"
          disabled={editing}
          hint={editing ? 'The type of a channel cannot change; add another channel instead.' : undefined}
        />
        <TextField
          label="Name"
          value={draft.name}
          onValue={(v) => set('name', v)}
          testId="channel-form-name"
          placeholder="e.g. on-call e-mail"
          autoComplete="off"
          required
          maxLength={MAX_NAME}
        />
      </div>

      <fieldset class="fieldset">
        <legend>Connection</legend>
        {editing ? (
          <CheckboxField
            label="Replace the connection settings"
            description="They are stored as a whole and their secrets are never shown again: to change any of them, enter all of them again, secrets included. Settings this form does not show (extra webhook headers, timeouts) go back to their defaults."
            checked={draft.replaceConfig}
            onChecked={(v) => set('replaceConfig', v)}
            testId="channel-form-replace-config"
          />
        ) : null}
        {!editing || draft.replaceConfig ? <ChannelConfigFields draft={draft} set={set} /> : null}
        {isAdmin && URL_TYPES.includes(draft.type) ? (
          <CheckboxField
            label="Allow private network"
            description="Let this channel reach loopback and private addresses (a receiver on this host or the local network). Off, such URLs are refused."
            checked={draft.allowPrivateNetwork}
            onChecked={(v) => set('allowPrivateNetwork', v)}
            testId="channel-form-private"
          />
        ) : null}
      </fieldset>

      <fieldset class="fieldset">
        <legend>Which alerts</legend>
        <div class="form-grid">
          <SelectField
            label="Severity"
            value={draft.minSeverity}
            onValue={(v) => set('minSeverity', v as Severity)}
            options={severityOptions}
            testId="channel-form-severity"
          />
          <div class="field radio-field">
            <span class="field-label" id="channel-sources-label">
              Sources
            </span>
            <div class="check-row" role="radiogroup" aria-labelledby="channel-sources-label">
              <label class="radio">
                <input type="radio" name="channel-sources" checked={draft.allSources} onChange={() => set('allSources', true)} data-testid="channel-form-sources-all" />
                All sources
              </label>
              <label class="radio">
                <input type="radio" name="channel-sources" checked={!draft.allSources} onChange={() => set('allSources', false)} data-testid="channel-form-sources-some" />
                Only these
              </label>
            </div>
          </div>
        </div>
        {!draft.allSources ? (
          <div class="check-row" role="group" aria-label="Sources sent to this channel">
            {ALERT_SOURCES.map((source) => (
              <CheckboxField
                key={source}
                label={source}
                checked={draft.sources.includes(source)}
                onChecked={(on) => toggleSource(source, on)}
                testId={`channel-form-source-${source}`}
              />
            ))}
          </div>
        ) : null}
        <CheckboxField
          label="Send on resolve"
          description="Also send a message when an alert is resolved."
          checked={draft.sendOnResolve}
          onChecked={(v) => set('sendOnResolve', v)}
          testId="channel-form-resolve"
        />
        <div class="form-grid">
          <TextField
            label="Messages per window"
            type="number"
            value={draft.rateMax}
            onValue={(v) => set('rateMax', v)}
            testId="channel-form-rate-max"
            hint="Past this, alerts are gathered into one digest."
            min={1}
            max={1000}
            step={1}
            required
          />
          <TextField
            label="Window (seconds)"
            type="number"
            value={draft.rateWindowSeconds}
            onValue={(v) => set('rateWindowSeconds', v)}
            testId="channel-form-rate-window"
            hint="600 is ten minutes; at most 86400 (one day)."
            min={1}
            max={86_400}
            step={1}
            required
          />
        </div>
        <CheckboxField label="Enabled" checked={draft.enabled} onChecked={(v) => set('enabled', v)} testId="channel-form-enabled" />
      </fieldset>

      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="channel-form-submit">
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Add channel'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
