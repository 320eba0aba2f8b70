// Who may open the status page (Gatus on port 8081): everyone, basic auth, or people signed in to the panel. The panel
// rewrites Gatus's file at once; Gatus reloads it within 30 seconds.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { saveStatusPageAccess, type StatusPageAccess, type StatusPageSettings } from '../../api/settings.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';

type Kind = StatusPageAccess['kind'];
const labels: Record<Kind, string> = { public: 'Everyone (public)', basic: 'A user name and password (basic auth)', panel: 'People signed in to this panel' };
const toKind = (value: string): Kind => (value === 'basic' || value === 'panel' ? value : 'public');

export function StatusPageForm({ settings, onSaved, readOnly = false }: { settings: StatusPageSettings; onSaved: (s: StatusPageSettings) => void; readOnly?: boolean }) {
  const [kind, setKind] = useState<Kind>(settings.access.kind);
  const [username, setUsername] = useState(settings.access.kind === 'basic' ? settings.access.username : '');
  const [envName, setEnvName] = useState(settings.access.kind === 'basic' ? settings.access.passwordBcryptBase64Env : 'GATUS_BASIC_PASSWORD_BCRYPT_BASE64');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const access: StatusPageAccess = kind === 'basic' ? { kind, username: username.trim(), passwordBcryptBase64Env: envName.trim() } : { kind };
      const saved = await saveStatusPageAccess(access);
      setNotice('Saved. Gatus picks the change up within 30 seconds.');
      onSaved(saved);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const options = (Object.keys(labels) as Kind[]).map((value) => ({ value, label: labels[value], disabled: value === 'panel' && !settings.statusPageUrl }));
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="status-page-title" data-testid="status-page-form">
      <h2 id="status-page-title">Status page</h2>
      <dl class="facts">
        <dt>Address</dt>
        <dd data-testid="status-page-url">{settings.statusPageUrl ?? <span class="muted">Not set (gatus.statusPageUrl)</span>}</dd>
      </dl>
      <SelectField
        label="Who may open it"
        value={kind}
        onValue={(next) => setKind(toKind(next))}
        options={options}
        hint={settings.statusPageUrl ? 'Signing in through the panel uses the panel\'s own accounts, with their 2FA; any enabled user may see the page.' : 'Signing in through the panel needs the status page\'s address (gatus.statusPageUrl in the configuration).'}
        disabled={readOnly}
        testId="status-page-access"
      />
      {kind === 'basic' ? (
        <>
          <TextField label="User name" value={username} onValue={setUsername} disabled={readOnly} testId="status-page-username" />
          <TextField
            label="Environment variable holding the password's bcrypt hash (base64)"
            value={envName}
            onValue={setEnvName}
            disabled={readOnly}
            testId="status-page-env"
            hint="Gatus reads the hash from its own environment; the panel never stores the password. For example: htpasswd -nbBC 10 '' 'password' | tr -d ':\n' | base64 -w0"
          />
        </>
      ) : null}
      {kind === 'panel' ? (
        <p class="muted small" data-testid="status-page-oidc">
          Gatus signs people in through this panel (OpenID Connect, client <span class="mono">{settings.signIn.clientId}</span>, issuer{' '}
          <span class="mono">{settings.signIn.issuer}</span>). Give Gatus the same <span class="mono">{settings.signIn.secretEnv}</span> as the panel.
        </p>
      ) : null}
      <ErrorMessage message={error} />
      <Notice message={notice} />
      {readOnly ? null : (
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="status-page-save">
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      )}
    </form>
  );
}
