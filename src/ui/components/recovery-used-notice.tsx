// Notice after a sign-in with a recovery code: how many codes are left and where to make new ones.
import { Link } from '../router/link.tsx';
import { useSession } from '../session/session-context.ts';

export function RecoveryUsedNotice() {
  const { recoveryCodesLeft, clearRecoveryNotice } = useSession();
  if (recoveryCodesLeft === null) return null;
  const left = `${recoveryCodesLeft} recovery code${recoveryCodesLeft === 1 ? '' : 's'} left.`;
  return (
    <div class="alert alert-warning alert-with-action" role="status">
      <p data-testid="recovery-used-notice">
        You signed in with a recovery code. {left} Generate new ones in <Link href="/account">My account</Link>.
      </p>
      <button type="button" class="btn btn-small" onClick={clearRecoveryNotice} data-testid="recovery-used-dismiss">
        Dismiss
      </button>
    </div>
  );
}
