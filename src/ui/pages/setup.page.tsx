// First-admin setup page opened from the one-time link printed on the server console.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import { completeSetup, getSetupStatus } from '../api/auth.api.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { TextField } from '../components/text-field.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { navigate } from '../router/history.ts';
import { Link } from '../router/link.tsx';
import { useSession } from '../session/session-context.ts';

export function SetupPage({ token }: { token: string | null }) {
  const session = useSession();
  const status = useLoad(getSetupStatus);
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (status.loading) {
    return (
      <AuthLayout title="Create the administrator">
        <Loading />
      </AuthLayout>
    );
  }
  if (status.data && !status.data.setupRequired) {
    return (
      <AuthLayout title="Setup complete">
        <p>An administrator account already exists, so this setup link can no longer be used.</p>
        <Link href="/login" class="btn btn-primary btn-block">
          Go to sign in
        </Link>
      </AuthLayout>
    );
  }

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (!token) {
      setError('This page needs the setup link printed on the server console (it contains a one-time token).');
      return;
    }
    if (password !== password2) {
      setError('The two passwords do not match.');
      return;
    }
    setBusy(true);
    try {
      const result = await completeSetup({ token, username: username.trim(), email: email.trim(), password });
      session.signedIn(result);
      navigate('/', { replace: true });
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Create the administrator">
      <p class="muted">This account has every permission. You can add more users once you are signed in.</p>
      {!token ? (
        <ErrorMessage message="The setup token is missing. Open the full setup link printed on the server console." />
      ) : null}
      <ErrorMessage message={status.error} />
      <form class="form" onSubmit={submit}>
        <TextField label="Username" value={username} onValue={setUsername} testId="setup-username" autoComplete="username" required autoFocus />
        <TextField label="Email" type="email" value={email} onValue={setEmail} testId="setup-email" autoComplete="email" required />
        <TextField
          label="Password"
          type="password"
          value={password}
          onValue={setPassword}
          testId="setup-password"
          autoComplete="new-password"
          required
        />
        <TextField
          label="Confirm password"
          type="password"
          value={password2}
          onValue={setPassword2}
          testId="setup-password2"
          autoComplete="new-password"
          required
        />
        <ErrorMessage message={error} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="setup-submit">
          {busy ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
    </AuthLayout>
  );
}
