// Sign-in page: the password step, then (for accounts with 2FA) the code step, also after a reload.
import { useState } from 'preact/hooks';
import type { PendingSecondFactor, SecondFactorResult } from '../api/types.ts';
import { navigate, safeNextPath, useLocation } from '../router/history.ts';
import { useSession } from '../session/session-context.ts';
import { CodeStep } from './login/code-step.tsx';
import { PasswordStep } from './login/password-step.tsx';

export function LoginPage() {
  const session = useSession();
  const { query } = useLocation();
  const [username, setUsername] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const signedIn = (result: SecondFactorResult) => {
    session.signedIn(result);
    const next = safeNextPath(query.get('next'));
    // The status page's sign-in continues on the server (OpenID Connect), outside this single-page app.
    if (next.startsWith('/oauth2/')) window.location.assign(next);
    else navigate(next, { replace: true });
  };

  if (session.state.status === 'second-factor') {
    return (
      <CodeStep
        expiresAt={session.state.expiresAt}
        onSignedIn={signedIn}
        onRestart={(reason) => {
          setMessage(reason);
          session.signedOut();
        }}
      />
    );
  }

  const secondFactor = (pending: PendingSecondFactor) => {
    setMessage(null);
    session.secondFactorPending(pending);
  };

  return (
    <PasswordStep username={username} onUsername={setUsername} message={message} onSignedIn={signedIn} onSecondFactor={secondFactor} />
  );
}
