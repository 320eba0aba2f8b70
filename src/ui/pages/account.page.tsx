// My account page: profile, password change, two-factor authentication, the user's own sessions, and their SFTP keys
// and app passwords.
import { useState } from 'preact/hooks';
import { getMe, listMySessions, revokeMySession } from '../api/account.api.ts';
import { describeError } from '../api/api-error.ts';
import type { AccountSession } from '../api/types.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { navigate } from '../router/history.ts';
import { useSession } from '../session/session-context.ts';
import { PasswordForm } from './account/password-form.tsx';
import { ProfileCard } from './account/profile-card.tsx';
import { SessionsList } from './account/sessions-list.tsx';
import { SftpAccess } from './account/sftp-access.tsx';
import { TwoFactorCard } from './account/two-factor-card.tsx';

export function AccountPage() {
  const session = useSession();
  const me = useLoad(async () => {
    const user = await getMe();
    session.updateUser(user);
    return user;
  });
  const sessions = useLoad(listMySessions);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const revoke = async (item: AccountSession) => {
    setBusyId(item.id);
    setError(null);
    try {
      await revokeMySession(item.id);
      if (item.current) {
        session.signedOut();
        navigate('/login', { replace: true });
        return;
      }
      sessions.setData((prev) => (prev ?? []).filter((s) => s.id !== item.id));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusyId(null);
    }
  };

  const user = me.data ?? session.user;

  return (
    <section>
      <PageHeader title="My account" />
      <ErrorMessage message={me.error} />
      <div class="card-grid card-grid-2">
        {user ? <ProfileCard user={user} /> : <Loading />}
        <PasswordForm onChanged={sessions.reload} />
        <TwoFactorCard onSessionsChanged={sessions.reload} />
      </div>
      <section class="section" aria-labelledby="sessions-title">
        <div class="section-head">
          <h2 id="sessions-title">Sessions</h2>
          <button type="button" class="btn btn-small" onClick={sessions.reload} disabled={sessions.loading}>
            Refresh
          </button>
        </div>
        <p class="muted">Every browser where you are signed in. Revoke any session you do not recognise.</p>
        <ErrorMessage message={error ?? sessions.error} />
        {sessions.loading && !sessions.data ? <Loading /> : <SessionsList sessions={sessions.data ?? []} busyId={busyId} onRevoke={revoke} />}
      </section>
      <SftpAccess />
    </section>
  );
}
