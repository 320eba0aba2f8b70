// One-click responses from an alert: ban its address (for a chosen time), disable its user, or end the user's sessions
// and revoke their API tokens; each is confirmed first and shows the server's answer.
import { useState } from 'preact/hooks';
import { respondToAlert } from '../../api/alerts.api.ts';
import type { Alert, ResponseAction } from '../../api/alerts.types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Notice } from '../../components/notice.tsx';
import { SelectField } from '../../components/select-field.tsx';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { localizeTimes } from '../../util/format.ts';
import { describeResponseError } from './response-error.ts';

/** Ban durations offered, in minutes; '' bans until the ban is lifted. */
const durations = [
  { value: '60', label: '1 hour' },
  { value: '1440', label: '24 hours' },
  { value: '10080', label: '7 days' },
  { value: '', label: 'Until lifted' },
];

type AlertResponsesProps = {
  alert: Alert;
  /** Holds monitor.edit: may ban. */
  canBan: boolean;
  /** Holds users.edit: may disable and sign out accounts. */
  canEditUsers: boolean;
  /** A response was taken: the timeline shows it. */
  onResponded: () => void;
};

export function AlertResponses({ alert, canBan, canEditUsers, onResponded }: AlertResponsesProps) {
  const [minutes, setMinutes] = useState('1440');
  const [pending, setPending] = useState<ResponseAction | null>(null);
  const { busyId, error, notice, run } = useRowActions();
  const busy = busyId !== null;
  const banLength = minutes === '' ? 'until the ban is lifted' : `for ${durations.find((d) => d.value === minutes)?.label ?? `${minutes} minutes`}`;

  const confirm = async () => {
    const action = pending;
    if (!action) return;
    await run(action, async () => {
      try {
        const result = await respondToAlert(alert.id, action, minutes === '' ? null : Number(minutes));
        onResponded();
        return localizeTimes(result.text);
      } catch (err) {
        throw new Error(describeResponseError(err));
      }
    });
    setPending(null);
  };

  return (
    <div class="card stack" data-testid="alert-responses">
      <h2>Respond</h2>
      <div class="response">
        <h3>Ban the address</h3>
        {!alert.ip ? (
          <p class="muted small">This alert names no address.</p>
        ) : canBan ? (
          <div class="inline-form">
            <SelectField label="For" value={minutes} onValue={setMinutes} options={durations} testId="alert-ban-duration" />
            <button type="button" class="btn btn-danger-outline" onClick={() => setPending('ban_ip')} disabled={busy} data-testid="alert-ban">
              Ban address
            </button>
          </div>
        ) : (
          <p class="muted small">Banning needs the monitor.edit scope.</p>
        )}
      </div>
      <div class="response">
        <h3>The user</h3>
        {!alert.user ? (
          <p class="muted small">This alert is not about a user.</p>
        ) : canEditUsers ? (
          <div class="form-actions">
            <button type="button" class="btn btn-danger-outline" onClick={() => setPending('disable_user')} disabled={busy} data-testid="alert-disable-user">
              Disable user
            </button>
            <button type="button" class="btn btn-danger-outline" onClick={() => setPending('revoke_user_access')} disabled={busy} data-testid="alert-revoke-user">
              End user's sessions and revoke API tokens
            </button>
          </div>
        ) : (
          <p class="muted small">Disabling or signing out an account needs the users.edit scope.</p>
        )}
      </div>
      <Notice message={notice} />
      <ErrorMessage message={error} />
      <ConfirmDialog
        open={pending !== null}
        title={pending === 'ban_ip' ? 'Ban this address?' : pending === 'disable_user' ? 'Disable this user?' : "End this user's access?"}
        confirmLabel={pending === 'ban_ip' ? 'Ban address' : pending === 'disable_user' ? 'Disable user' : 'End sessions and revoke tokens'}
        danger
        busy={busy}
        onCancel={() => setPending(null)}
        onConfirm={confirm}
      >
        {pending === 'ban_ip' ? (
          <p>
            Every request from <strong class="mono">{alert.ip}</strong> is refused {banLength}. The ban is listed on the Security page, where it
            can be lifted.
          </p>
        ) : pending === 'disable_user' ? (
          <p>
            The account <strong>{alert.user}</strong> is disabled and signed out everywhere. It can be enabled again on the Users page.
          </p>
        ) : (
          <p>
            Every session of <strong>{alert.user}</strong> ends and the access tokens of their API clients are revoked. The account stays
            enabled: they can sign in again.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
