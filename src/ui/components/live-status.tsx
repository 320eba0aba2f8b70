// Whether a live connection is up: connecting, live, reconnecting, or off (with why, and a button to try again).

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

const defaultLabels: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Live updates off',
};

type LiveStatusProps = {
  state: LiveState;
  /** Prefix of the test ids: `<prefix>-status` and `<prefix>-reconnect`. */
  testIdPrefix: string;
  labels?: Partial<Record<LiveState, string>>;
  /** Why the connection is closed (a sentence), shown after the label. */
  reason?: string | null;
  /** Offers a Reconnect button while closed. */
  onReconnect?: () => void;
};

export function LiveStatus({ state, testIdPrefix, labels, reason, onReconnect }: LiveStatusProps) {
  const label = labels?.[state] ?? defaultLabels[state];
  return (
    <span class="live-status">
      <span class={`live-dot live-dot-${state}`} aria-hidden="true" />
      <span data-testid={`${testIdPrefix}-status`} data-state={state}>
        {state === 'closed' && reason ? `${label}. ${reason}` : label}
      </span>
      {state === 'closed' && onReconnect ? (
        <button type="button" class="btn btn-small" onClick={onReconnect} data-testid={`${testIdPrefix}-reconnect`}>
          Reconnect
        </button>
      ) : null}
    </span>
  );
}
