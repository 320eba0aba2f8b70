// Editor of the admin IP allowlist: shows the caller's IP, config-file entries and editable panel entries.
import type { TargetedSubmitEvent } from 'preact';
import { useId, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { saveAllowlist } from '../../api/settings.api.ts';
import type { Allowlist } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { hostCidr, parseCidrLines } from '../../util/cidr.ts';

type AllowlistEditorProps = {
  allowlist: Allowlist;
  onSaved: (allowlist: Allowlist) => void;
  /** Without settings.edit the list is shown but cannot be changed. */
  readOnly?: boolean;
};

const panelText = (allowlist: Allowlist) =>
  allowlist.entries
    .filter((entry) => entry.source === 'panel')
    .map((entry) => entry.cidr)
    .join('\n');

export function AllowlistEditor({ allowlist, onSaved, readOnly = false }: AllowlistEditorProps) {
  const textareaId = useId();
  const [text, setText] = useState(() => panelText(allowlist));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const configEntries = allowlist.entries.filter((entry) => entry.source === 'config');

  const addMyIp = () => {
    const cidr = hostCidr(allowlist.yourIp);
    const lines = parseCidrLines(text);
    if (!lines.includes(cidr)) setText(lines.concat(cidr).join('\n'));
  };

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const saved = await saveAllowlist(parseCidrLines(text));
      setText(panelText(saved));
      setNotice('The allowlist was saved.');
      onSaved(saved);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="allowlist-title" data-testid="allowlist-form">
      <h2 id="allowlist-title">Admin IP allowlist</h2>
      <p>
        Only addresses in these ranges can use the panel's admin functions. Your IP address as the panel sees it:{' '}
        <strong class="mono" data-testid="your-ip">
          {allowlist.yourIp}
        </strong>
      </p>
      {configEntries.length > 0 ? (
        <div>
          <h3>From the configuration file</h3>
          <p class="muted small">These entries can only be changed in the panel's configuration.</p>
          <ul class="chips" data-testid="allowlist-config">
            {configEntries.map((entry) => (
              <li key={entry.cidr} class="chip mono">
                {entry.cidr}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="field">
        <label for={textareaId}>Panel entries</label>
        <textarea
          id={textareaId}
          rows={8}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          class="mono"
          spellcheck={false}
          readOnly={readOnly}
          aria-describedby={`${textareaId}-hint`}
          data-testid="allowlist-input"
        />
        <p class="field-hint" id={`${textareaId}-hint`}>
          One address or CIDR range per line, for example 203.0.113.0/24 or 2001:db8::/48. Text after # is ignored.
        </p>
      </div>
      <ErrorMessage message={error} />
      <Notice message={notice} />
      {readOnly ? null : (
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="allowlist-save">
            {busy ? 'Saving…' : 'Save allowlist'}
          </button>
          <button type="button" class="btn" onClick={addMyIp} disabled={busy} data-testid="allowlist-add-my-ip">
            Add my IP
          </button>
        </div>
      )}
    </form>
  );
}
