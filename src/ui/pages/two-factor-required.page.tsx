// Standalone screen while the 2FA policy covers the user and 2FA is not set up yet; no other page opens until it is.
import { useState } from 'preact/hooks';
import { logout } from '../api/auth.api.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { TwoFactorSetup } from '../components/two-factor-setup.tsx';
import { navigate } from '../router/history.ts';
import { useSession } from '../session/session-context.ts';

export function TwoFactorRequiredPage() {
  const session = useSession();
  const [busy, setBusy] = useState(false);

  const signOut = async () => {
    setBusy(true);
    try {
      await logout();
    } catch {
      // The local session is forgotten either way; the server session expires on its own.
    }
    session.signedOut();
    navigate('/login', { replace: true });
  };

  // With setup confirmed the session no longer needs it; the app then shows the page that was asked for.
  const finished = async () => {
    setBusy(true);
    await session.refresh();
    setBusy(false);
  };

  return (
    <AuthLayout title="Set up two-factor authentication">
      <div class="stack" data-testid="forced-2fa-setup">
        <p>
          Your administrator requires two-factor authentication for this account
          {session.user ? (
            <>
              {' '}
              (<strong>{session.user.username}</strong>)
            </>
          ) : null}
          . Set it up now to continue to the panel. You will need an authenticator app on your phone.
        </p>
        <TwoFactorSetup headingLevel={2} onDone={finished} />
        <div class="auth-links">
          <button type="button" class="btn-link" onClick={signOut} disabled={busy} data-testid="logout">
            Sign out
          </button>
        </div>
      </div>
    </AuthLayout>
  );
}
