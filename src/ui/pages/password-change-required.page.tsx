// Standalone screen after a lockdown required a new password: nothing else opens until one is chosen.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { changePassword } from '../api/account.api.ts';
import { describeError } from '../api/api-error.ts';
import { logout } from '../api/auth.api.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { navigate } from '../router/history.ts';
import { useSession } from '../session/session-context.ts';

export function PasswordChangeRequiredPage() {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (next !== confirm) return setError('The new password and its confirmation do not match.');
    setBusy(true);
    try {
      const result = await changePassword(current, next);
      session.updateCsrfToken(result.csrfToken);
      // The fresh session no longer requires it; the app then shows the page that was asked for.
      await session.refresh();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  const signOut = async () => {
    setBusy(true);
    await logout().catch(() => undefined);
    session.signedOut();
    navigate('/login', { replace: true });
  };

  return (
    <AuthLayout title="Choose a new password">
      <form class="stack form" onSubmit={submit} data-testid="forced-password-change">
        <p>
          After a security incident an administrator requires a new password for this account
          {session.user ? (
            <>
              {' '}
              (<strong>{session.user.username}</strong>)
            </>
          ) : null}
          . Choose one you have not used here before; your other sessions are signed out.
        </p>
        <TextField label="Current password" type="password" value={current} onValue={setCurrent} autoComplete="current-password" required testId="forced-password-current" />
        <TextField label="New password" type="password" value={next} onValue={setNext} autoComplete="new-password" required testId="forced-password-new" />
        <TextField label="Confirm new password" type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required testId="forced-password-confirm" />
        <ErrorMessage message={error} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy} data-testid="forced-password-submit">
          {busy ? 'Saving…' : 'Set new password'}
        </button>
        <div class="auth-links">
          <button type="button" class="btn-link" onClick={signOut} disabled={busy} data-testid="logout">
            Sign out
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}
