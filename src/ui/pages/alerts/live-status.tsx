// Whether the alert stream is flowing: connected, reconnecting, or off (with a button to try again).
import { LiveStatus as SharedLiveStatus } from '../../components/live-status.tsx';
import type { StreamState } from '../../hooks/use-alert-stream.ts';

export const LiveStatus = ({ state, onReconnect }: { state: StreamState; onReconnect: () => void }) => (
  <SharedLiveStatus state={state} onReconnect={onReconnect} testIdPrefix="alerts-live" />
);
