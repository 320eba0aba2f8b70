// Second sign-in step: a code from the authenticator app, or a recovery code; Cancel ends the pending sign-in.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../api/api-error.ts';
import { logout, verifySecondFactor } from '../../api/auth.api.ts';
import type { SecondFactorProof, SecondFactorResult } from '../../api/types.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { compactCode, normalizeRecoveryCode } from '../../util/two-factor.ts';

type CodeStepProps = {
  expiresAt: string | null;
  onSignedIn: (result: SecondFactorResult) => void;
  /** Back to the password step, with the reason when the pending sign-in was lost. */
  onRestart: (message: string | null) => void;
};

type Mode = 'code' | 'recovery';

export function CodeStep({ expiresAt, onSignedIn, onRestart }: CodeStepProps) {
  const [mode, setMode] = useState<Mode>('code');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), [mode]);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const proof: SecondFactorProof = mode === 'code' ? { code: compactCode(value) } : { recoveryCode: normalizeRecoveryCode(value) };
    try {
      onSignedIn(await verifySecondFactor(proof));
    } catch (err) {
      // Expired, or too many wrong codes: the password has to be entered again.
      if (err instanceof ApiError && err.code === 'no_pending_login') {
        onRestart(describeError(err));
        return;
      }
      setError(describeError(err));
      setValue('');
      setBusy(false);
      input.current?.focus();
    }
  };

  const switchMode = () => {
    setMode((prev) => (prev === 'code' ? 'recovery' : 'code'));
    setValue('');
    setError(null);
  };

  const cancel = async () => {
    setBusy(true);
    try {
      await logout();
    } catch {
      // The pending sign-in expires on its own within minutes.
    }
    onRestart(null);
  };

  const recovery = mode === 'recovery';
  return (
    <AuthLayout title="Two-factor authentication">
      <p>
        {recovery
          ? 'Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.'
          : 'Enter the 6-digit code from your authenticator app.'}
      </p>
      <form class="form" onSubmit={submit}>
        <TextField
          label={recovery ? 'Recovery code' : 'Authentication code'}
          value={value}
          onValue={setValue}
          testId={recovery ? 'login-recovery-code' : 'login-code'}
          inputRef={input}
          autoComplete={recovery ? 'off' : 'one-time-code'}
          inputMode={recovery ? 'text' : 'numeric'}
          placeholder={recovery ? 'XXXX-XXXX-XXXX-XXXX' : undefined}
          maxLength={recovery ? 32 : 12}
          required
        />
        <ErrorMessage message={error} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-code-submit">
          {busy ? 'Checking…' : 'Verify'}
        </button>
      </form>
      <div class="auth-links">
        <button type="button" class="btn-link" onClick={switchMode} disabled={busy} data-testid="login-use-recovery">
          {recovery ? 'Use a code from your app instead' : 'Use a recovery code instead'}
        </button>
        <button type="button" class="btn-link" onClick={cancel} disabled={busy} data-testid="login-cancel">
          Cancel
        </button>
      </div>
      {expiresAt ? (
        <p class="muted small">
          Finish signing in before <TimeText iso={expiresAt} />.
        </p>
      ) : null}
    </AuthLayout>
  );
}
