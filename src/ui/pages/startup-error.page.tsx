// Shown when the panel cannot tell whether you are signed in (server unreachable or failing).
import { useState } from 'preact/hooks';
import { AuthLayout } from '../components/auth-layout.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { useSession } from '../session/session-context.ts';

export function StartupErrorPage({ message }: { message: string }) {
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    await refresh();
    setBusy(false);
  };
  return (
    <AuthLayout title="Panel unavailable">
      <ErrorMessage message={message} />
      <button type="button" class="btn btn-primary btn-block" onClick={retry} disabled={busy}>
        {busy ? 'Retrying…' : 'Retry'}
      </button>
    </AuthLayout>
  );
}
