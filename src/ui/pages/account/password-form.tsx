// Change-password form; on success the other sessions are gone and the CSRF token is replaced.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { changePassword } from '../../api/account.api.ts';
import { describeError } from '../../api/api-error.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { TextField } from '../../components/text-field.tsx';
import { useSession } from '../../session/session-context.ts';

export function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    if (next !== confirm) {
      setError('The new password and its confirmation do not match.');
      return;
    }
    setBusy(true);
    try {
      const result = await changePassword(current, next);
      session.updateCsrfToken(result.csrfToken);
      setCurrent('');
      setNext('');
      setConfirm('');
      setNotice('Your password was changed. Your other sessions were signed out.');
      onChanged();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="password-title" data-testid="password-form">
      <h2 id="password-title">Change password</h2>
      <TextField
        label="Current password"
        type="password"
        value={current}
        onValue={setCurrent}
        testId="password-current"
        autoComplete="current-password"
        required
      />
      <TextField
        label="New password"
        type="password"
        value={next}
        onValue={setNext}
        testId="password-new"
        autoComplete="new-password"
        required
      />
      <TextField
        label="Confirm new password"
        type="password"
        value={confirm}
        onValue={setConfirm}
        testId="password-confirm"
        autoComplete="new-password"
        required
      />
      <ErrorMessage message={error} />
      <Notice message={notice} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="password-submit">
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
