// The one confirmation dialog of the users page: before deleting a user or resetting their 2FA.
import type { User } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';

export type PendingUserConfirm = { kind: 'delete' | 'reset-2fa'; user: User };

type UserConfirmDialogProps = {
  pending: PendingUserConfirm | null;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

export function UserConfirmDialog({ pending, busy, onConfirm, onCancel }: UserConfirmDialogProps) {
  const reset = pending?.kind === 'reset-2fa';
  const name = <strong>{pending?.user.username}</strong>;
  return (
    <ConfirmDialog
      open={pending !== null}
      title={reset ? 'Reset 2FA?' : 'Delete user?'}
      confirmLabel={reset ? 'Reset 2FA' : 'Delete user'}
      danger
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    >
      {reset ? (
        <>
          <p>
            Two-factor authentication of {name} will be turned off and their recovery codes deleted. All their sessions are ended.
          </p>
          <p>They will set up 2FA again at their next sign-in (before they can use the panel, when the 2FA policy covers them).</p>
        </>
      ) : (
        <p>{name} will be deleted and signed out everywhere. This cannot be undone.</p>
      )}
    </ConfirmDialog>
  );
}
