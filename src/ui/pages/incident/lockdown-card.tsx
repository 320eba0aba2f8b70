// The lockdown action: what it does, who must choose a new password (everyone, nobody, or chosen users), maintenance
// mode, and the administrator's password and 2FA code again; confirmed before it runs, its report shown after.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { runLockdown, type LockdownReport, type PasswordReset } from '../../api/incident.api.ts';
import { listUsers } from '../../api/users.api.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { TextField } from '../../components/text-field.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useSession } from '../../session/session-context.ts';

export function LockdownCard({ onDone }: { onDone: (report: LockdownReport) => void }) {
  const session = useSession();
  const users = useLoad(() => listUsers(null, 200));
  const [who, setWho] = useState<'all' | 'none' | 'chosen'>('all');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [maintenance, setMaintenance] = useState(true);
  const [notifyUsers, setNotifyUsers] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const twoFactor = session.user?.twoFactorEnabled === true;

  const submit = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (who === 'chosen' && chosen.size === 0) return setError('Choose the users who must set a new password, or pick everyone or nobody.');
    setConfirming(true);
  };

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const passwordReset: PasswordReset = who === 'chosen' ? { users: [...chosen] } : who;
      const report = await runLockdown({ password, ...(twoFactor ? { code: code.trim() } : {}), passwordReset, maintenance, notifyUsers });
      setPassword('');
      setCode('');
      setConfirming(false);
      onDone(report);
    } catch (err) {
      setConfirming(false);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const others = (users.data?.items ?? []).filter((u) => u.id !== session.user?.id);
  return (
    <form class="card danger-zone stack" onSubmit={submit} aria-labelledby="lockdown-title" data-testid="lockdown-form">
      <h2 id="lockdown-title">Lock down</h2>
      <p>One action for a suspected breach. It:</p>
      <ul class="lockdown-steps">
        <li>revokes every OAuth2 access token and replaces every client secret: clients stay disabled until their owners regenerate the secret;</li>
        <li>ends every session but yours, and every SFTP session;</li>
        <li>makes the users you choose set a new password at their next sign-in;</li>
        <li>optionally turns maintenance mode on: only administrators may sign in{' '}(from the admin IP allowlist, when one is set).</li>
      </ul>
      <SelectField
        label="Who must choose a new password"
        value={who}
        onValue={(v) => setWho(v as 'all' | 'none' | 'chosen')}
        options={[
          { value: 'all', label: 'Everyone (but you)' },
          { value: 'chosen', label: 'Chosen users' },
          { value: 'none', label: 'Nobody' },
        ]}
        testId="lockdown-password-reset"
      />
      {who === 'chosen' ? (
        <fieldset class="fieldset" data-testid="lockdown-users">
          <legend>Users</legend>
          <div class="check-grid">
            {others.map((u) => (
              <CheckboxField
                key={u.id}
                label={u.username}
                checked={chosen.has(u.id)}
                onChecked={(on) =>
                  setChosen((prev) => {
                    const next = new Set(prev);
                    if (on) next.add(u.id);
                    else next.delete(u.id);
                    return next;
                  })
                }
                testId={`lockdown-user-${u.username}`}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      <CheckboxField label="Maintenance mode" description="Until you turn it off here, only administrators may sign in." checked={maintenance} onChecked={setMaintenance} testId="lockdown-maintenance" />
      <CheckboxField
        label="E-mail the users affected"
        description="Through the alert e-mail channel: what happened, and what each must do (a new password, new API client secrets)."
        checked={notifyUsers}
        onChecked={setNotifyUsers}
        testId="lockdown-notify"
      />
      <TextField label="Your password" type="password" value={password} onValue={setPassword} autoComplete="current-password" required testId="lockdown-password" />
      {twoFactor ? <TextField label="Code from your authenticator app" value={code} onValue={setCode} inputMode="numeric" autoComplete="one-time-code" required maxLength={6} testId="lockdown-code" /> : null}
      <ErrorMessage message={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-danger" disabled={busy || !password || (twoFactor && code.trim().length !== 6)} data-testid="lockdown-submit">
          Lock down…
        </button>
      </div>
      <ConfirmDialog open={confirming} title="Lock the panel down now?" confirmLabel={busy ? 'Locking down…' : 'Lock down'} danger busy={busy} onCancel={() => setConfirming(false)} onConfirm={() => void run()}>
        <p>Everyone else is signed out at once and every API client stops working. This cannot be undone, except maintenance mode and the password requirement.</p>
      </ConfirmDialog>
    </form>
  );
}
