// Whether live updates are flowing: connected, reconnecting, or off (with a button to try again).
import type { StreamState } from '../../hooks/use-alert-stream.ts';

const labels: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Live updates off',
};

export function LiveStatus({ state, onReconnect }: { state: StreamState; onReconnect: () => void }) {
  return (
    <span class="live-status">
      <span class={`live-dot live-dot-${state}`} aria-hidden="true" />
      <span data-testid="alerts-live-status" data-state={state}>
        {labels[state]}
      </span>
      {state === 'closed' ? (
        <button type="button" class="btn btn-small" onClick={onReconnect} data-testid="alerts-live-reconnect">
          Reconnect
        </button>
      ) : null}
    </span>
  );
}
