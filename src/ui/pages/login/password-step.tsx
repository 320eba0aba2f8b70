// First sign-in step: username or email plus password; notes when first-admin setup is still pending.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { getSetupStatus, isPendingSecondFactor, login } from '../../api/auth.api.ts';
import type { AuthResult, PendingSecondFactor } from '../../api/types.ts';
import { AuthLayout } from '../../components/auth-layout.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { TextField } from '../../components/text-field.tsx';
import { useLoad } from '../../hooks/use-load.ts';

type PasswordStepProps = {
  username: string;
  onUsername: (username: string) => void;
  /** Why the user is back at this step (an expired second step), shown as the first error. */
  message: string | null;
  onSignedIn: (result: AuthResult) => void;
  onSecondFactor: (pending: PendingSecondFactor) => void;
};

export function PasswordStep({ username, onUsername, message, onSignedIn, onSecondFactor }: PasswordStepProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(message);
  const [busy, setBusy] = useState(false);
  const setup = useLoad(getSetupStatus);
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Back from the code step with the username still filled in: continue at the password.
    if (username) passwordInput.current?.focus();
  }, []);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await login(username.trim(), password);
      if (isPendingSecondFactor(result)) onSecondFactor(result);
      else onSignedIn(result);
    } catch (err) {
      setError(describeError(err));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in">
      {setup.data?.setupRequired ? (
        <Notice
          kind="info"
          message="No administrator account exists yet. Open the one-time setup link printed on the server console to create it."
        />
      ) : null}
      <form class="form" onSubmit={submit}>
        <TextField
          label="Username or email"
          value={username}
          onValue={onUsername}
          testId="login-username"
          autoComplete="username"
          required
          autoFocus
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          testId="login-password"
          autoComplete="current-password"
          inputRef={passwordInput}
          required
        />
        <ErrorMessage message={error} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
