// Suspension of a server: the notice its users see while it is suspended (who, when, why, and what is closed), and
// for those who may suspend servers, Suspend (with a reason, after a confirmation) and Unsuspend.
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { suspendServer, unsuspendServer } from '../../api/servers.api.ts';
import type { Server } from '../../api/servers.types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { TextField } from '../../components/text-field.tsx';
import { TimeText } from '../../components/time-text.tsx';

export function SuspendedNotice({ server }: { server: Server }) {
  if (!server.suspended) return null;
  const { at, by, reason } = server.suspended;
  return (
    <div class="alert alert-warning" role="status" data-testid="server-suspended">
      <strong>Suspended</strong> since <TimeText iso={at} />
      {by ? ` by ${by}` : ''}: {reason}. The server cannot be started, and its files, console, SFTP and power are closed to its users until an administrator
      unsuspends it.
    </div>
  );
}

export function ServerSuspension({ server, onServer }: { server: Server; onServer: (server: Server) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: () => Promise<Server>) => {
    setBusy(true);
    setError(null);
    try {
      onServer(await action());
      setOpen(false);
      setReason('');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="servers-section" aria-labelledby="server-suspension-title">
      <div class="card danger-zone" data-testid="server-suspension">
        <h2 id="server-suspension-title">{server.suspended ? 'Suspended' : 'Suspend server'}</h2>
        {server.suspended ? (
          <>
            <p>Unsuspended, its users have their access back; it stays stopped until someone starts it.</p>
            <button type="button" class="btn" onClick={() => void act(() => unsuspendServer(server.id))} disabled={busy} data-testid="server-unsuspend">
              {busy ? 'Unsuspending…' : 'Unsuspend'}
            </button>
          </>
        ) : (
          <>
            <p>
              The server is stopped and cannot be started; its users still see it, but its files, console, SFTP (open sessions end at once) and power are closed to them until it is unsuspended.
            </p>
            <button
              type="button"
              class="btn btn-danger-outline"
              onClick={() => {
                setError(null);
                setOpen(true);
              }}
              data-testid="server-suspend"
            >
              Suspend…
            </button>
          </>
        )}
        {!open ? <ErrorMessage message={error} /> : null}
      </div>
      <ConfirmDialog
        open={open}
        title={`Suspend ${server.name}?`}
        confirmLabel={busy ? 'Suspending…' : 'Suspend'}
        danger
        busy={busy}
        confirmDisabled={!reason.trim()}
        onCancel={() => setOpen(false)}
        onConfirm={() => void act(() => suspendServer(server.id, reason.trim()))}
      >
        <TextField label="Reason" value={reason} onValue={setReason} maxLength={500} hint="Shown to the server's users and kept in the audit log." testId="server-suspend-reason" required />
        <ErrorMessage message={error} />
      </ConfirmDialog>
    </section>
  );
}
