// Sign-in page: username or email plus password; notes when first-admin setup is still pending.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { getSetupStatus, login } from '../api/auth.api.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Notice } from '../components/notice.tsx';
import { TextField } from '../components/text-field.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { navigate, safeNextPath, useLocation } from '../router/history.ts';
import { useSession } from '../session/session-context.ts';

export function LoginPage() {
  const session = useSession();
  const { query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setup = useLoad(getSetupStatus);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await login(username.trim(), password);
      session.signedIn(result);
      navigate(safeNextPath(query.get('next')), { replace: true });
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
          onValue={setUsername}
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
