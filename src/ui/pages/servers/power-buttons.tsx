// Start, stop, restart and kill (after a confirmation) for one server, as its state and the user's scopes allow; busy
// while the panel works (a stop waits for the server to exit), and the server's refusal shown if it refuses.
import { useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { powerServer } from '../../api/servers.api.ts';
import type { PowerAction, Server, ServerState } from '../../api/servers.types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { mayOnServer } from '../../session/scopes.ts';

const labels: Record<PowerAction, [idle: string, busy: string]> = {
  start: ['Start', 'Starting…'],
  stop: ['Stop', 'Stopping…'],
  restart: ['Restart', 'Restarting…'],
  kill: ['Kill', 'Killing…'],
};

const scopesOf: Record<PowerAction, string[]> = {
  start: ['server.start'],
  stop: ['server.stop'],
  restart: ['server.start', 'server.stop'],
  kill: ['server.stop'],
};

/** The actions that make sense in each state; "unknown" offers them all and lets the server decide. */
const offered: Record<ServerState, PowerAction[]> = {
  running: ['stop', 'restart', 'kill'],
  starting: ['stop', 'kill'],
  stopping: ['kill'],
  stopped: ['start'],
  crashed: ['start'],
  unknown: ['start', 'stop', 'kill'],
};

type PowerButtonsProps = {
  server: Server;
  onServer: (server: Server) => void;
  /** How long a stop may take before the server is killed (the template's timeout), when known. */
  stopTimeoutSeconds?: number | undefined;
  small?: boolean;
};

export function PowerButtons({ server, onServer, stopTimeoutSeconds, small = false }: PowerButtonsProps) {
  const [busy, setBusy] = useState<PowerAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmKill, setConfirmKill] = useState(false);
  const killButton = useRef<HTMLButtonElement>(null);
  /** The buttons shown when an action began: they stay while it runs, though the state changes meanwhile. */
  const [shown, setShown] = useState<PowerAction[]>([]);
  // A suspended server cannot be started by anyone (it is unsuspended first).
  const allowed = offered[server.state].filter((action) => scopesOf[action].every((scope) => mayOnServer(server, scope)) && !(server.suspended && (action === 'start' || action === 'restart')));
  const actions = busy ? shown : allowed;

  const run = async (action: PowerAction) => {
    setShown(allowed);
    setBusy(action);
    setError(null);
    try {
      onServer(await powerServer(server.id, action));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
      setConfirmKill(false);
    }
  };

  const waiting =
    busy === 'stop' || busy === 'restart'
      ? `Waiting for ${server.name} to stop${stopTimeoutSeconds ? `; it is killed if it has not stopped after ${stopTimeoutSeconds} s` : ''}.`
      : busy
        ? `${labels[busy][1]}`
        : '';

  if (actions.length === 0 && !error) return null;
  const size = small ? ' btn-small' : '';
  return (
    <div class="power" aria-busy={busy !== null}>
      <div class="power-buttons" role="group" aria-label={`Power of ${server.name}`}>
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            class={`btn${action === 'start' ? ' btn-primary' : action === 'kill' ? ' btn-danger-outline' : ''}${size}`}
            disabled={busy !== null}
            ref={action === 'kill' ? killButton : undefined}
            onClick={() => (action === 'kill' ? setConfirmKill(true) : void run(action))}
            data-testid={`server-${action}`}
          >
            {busy === action ? labels[action][1] : labels[action][0]}
          </button>
        ))}
      </div>
      <p class="visually-hidden" role="status" data-testid="server-power-status">
        {waiting}
      </p>
      {busy === 'stop' || busy === 'restart' ? (
        <p class="muted small power-note" aria-hidden="true">
          {waiting}
        </p>
      ) : null}
      <ErrorMessage message={error} />
      {/* Made only when asked for: a list of servers holds no closed dialogs. */}
      {confirmKill ? (
        <ConfirmDialog
          open
          title={`Kill ${server.name}?`}
          confirmLabel="Kill server"
          danger
          busy={busy === 'kill'}
          onCancel={() => {
            setConfirmKill(false);
            killButton.current?.focus();
          }}
          onConfirm={() => void run('kill')}
        >
          <p>The server is stopped at once, without its stop command: anything it has not saved is lost.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
