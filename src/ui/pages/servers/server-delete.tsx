// Deleting a server, after a confirmation that offers to keep its data directory; then back to the list.
import { useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { deleteServer } from '../../api/servers.api.ts';
import type { Server } from '../../api/servers.types.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { navigate } from '../../router/history.ts';
import { setServersNotice } from './servers-notice.ts';
import { SERVERS_PATH } from './servers-paths.ts';

export function ServerDelete({ server }: { server: Server }) {
  const [open, setOpen] = useState(false);
  const [keepData, setKeepData] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteServer(server.id, keepData);
      setServersNotice(`Server ${server.name} was deleted${keepData ? '; its data directory was kept' : ''}.`);
      navigate(SERVERS_PATH);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <section class="servers-section" aria-labelledby="server-delete-title">
      <div class="card danger-zone">
        <h2 id="server-delete-title">Delete server</h2>
        <p>Its container and network are removed, and its data directory too unless you keep it. This cannot be undone.</p>
        <button
          type="button"
          class="btn btn-danger-outline"
          onClick={() => {
            setError(null);
            setKeepData(false);
            setOpen(true);
          }}
          data-testid="server-delete"
        >
          Delete server
        </button>
      </div>
      <ConfirmDialog
        open={open}
        title={`Delete ${server.name}?`}
        confirmLabel={busy ? 'Deleting…' : 'Delete server'}
        danger
        busy={busy}
        onCancel={() => setOpen(false)}
        onConfirm={() => void remove()}
      >
        <p>
          <strong>{server.name}</strong> is stopped if it runs, and its container and network are removed. This cannot be undone.
        </p>
        <CheckboxField
          label="Keep its data directory"
          description="The files stay on the node, for an administrator to copy or remove later."
          checked={keepData}
          onChecked={setKeepData}
          disabled={busy}
          testId="server-delete-keep-data"
        />
        <ErrorMessage message={error} />
      </ConfirmDialog>
    </section>
  );
}
