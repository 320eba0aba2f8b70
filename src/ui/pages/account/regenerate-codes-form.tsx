// Form to replace all recovery codes, confirmed with the password and a code from the authenticator app.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../api/api-error.ts';
import { regenerateRecoveryCodes } from '../../api/two-factor.api.ts';
import { CodeField } from '../../components/code-field.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { compactCode } from '../../util/two-factor.ts';

type RegenerateCodesFormProps = {
  onGenerated: (codes: string[]) => void;
  onCancel: () => void;
};

export function RegenerateCodesForm({ onGenerated, onCancel }: RegenerateCodesFormProps) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => passwordInput.current?.focus(), []);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await regenerateRecoveryCodes(password, compactCode(code));
      onGenerated(result.recoveryCodes);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
      setCode('');
      if (err instanceof ApiError && err.code === 'invalid_password') {
        setPassword('');
        passwordInput.current?.focus();
      } else {
        codeInput.current?.focus();
      }
    }
  };

  return (
    <form class="form subcard" onSubmit={submit} aria-labelledby="twofa-regenerate-title" data-testid="twofa-regenerate-form">
      <h3 id="twofa-regenerate-title">Generate new recovery codes</h3>
      <p class="muted">Your current recovery codes stop working as soon as the new ones are made.</p>
      <TextField
        label="Password"
        type="password"
        value={password}
        onValue={setPassword}
        testId="twofa-regenerate-password"
        autoComplete="current-password"
        inputRef={passwordInput}
        required
      />
      <CodeField value={code} onValue={setCode} testId="twofa-regenerate-code" inputRef={codeInput} />
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="twofa-regenerate-submit">
          {busy ? 'Generating…' : 'Generate new codes'}
        </button>
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
