// Keeps the live alert stream (server-sent events) open while a component is mounted, and says whether it is connected.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ALERT_STREAM_URL } from '../api/alerts.api.ts';
import type { AlertChange } from '../api/alerts.types.ts';
import type { LiveState } from '../components/live-status.tsx';

export type StreamState = LiveState;

export type AlertStreamHandlers = {
  /** An alert was raised or changed. */
  onChange: (change: AlertChange) => void;
  /** The stream is (re)connected: changes made while it was down were not sent, so read the data again. */
  onReady: () => void;
};

function parseChange(data: unknown): AlertChange | null {
  if (typeof data !== 'string') return null;
  try {
    const change = JSON.parse(data) as AlertChange;
    return change && (change.type === 'created' || change.type === 'updated') && typeof change.alert?.id === 'number' ? change : null;
  } catch {
    return null;
  }
}

/**
 * The server ends each stream after a few minutes and EventSource reconnects by itself (each reconnection sends "ready"
 * again). A refused connection (signed out, too many streams) closes it for good until `reconnect()`.
 */
export function useAlertStream(handlers: AlertStreamHandlers): { state: StreamState; reconnect: () => void } {
  const [state, setState] = useState<StreamState>('connecting');
  const [generation, setGeneration] = useState(0);
  const saved = useRef(handlers);
  saved.current = handlers;

  useEffect(() => {
    setState('connecting');
    const source = new EventSource(ALERT_STREAM_URL);
    source.addEventListener('ready', () => {
      setState('live');
      saved.current.onReady();
    });
    source.addEventListener('alert', (event) => {
      const change = parseChange((event as MessageEvent).data);
      if (change) saved.current.onChange(change);
    });
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    return () => source.close();
  }, [generation]);

  return { state, reconnect: () => setGeneration((g) => g + 1) };
}
