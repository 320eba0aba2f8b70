// Keeps a server's console WebSocket open while a component is mounted: a fresh ticket for every connection, the frames
// handed to the caller, and a reconnection after a growing delay when the connection drops for no stated reason.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../api/api-error.ts';
import { consoleSocketUrl, createConsoleTicket } from '../../api/servers.api.ts';
import type { ConsoleFrame, ServerState, ServerStats } from '../../api/servers.types.ts';
import type { LiveState } from '../../components/live-status.tsx';
import { useSession } from '../../session/session-context.ts';

export type ConsoleHandlers = {
  /** The recent output, sent on every (re)connection: it replaces what is shown. */
  onHistory: (lines: string[]) => void;
  onOutput: (data: string) => void;
  onState: (state: ServerState) => void;
  onStats: (stats: ServerStats) => void;
  /** The server refused something (a command, following the output). */
  onError: (message: string, code: string) => void;
};

export type ConsoleConnection = {
  state: LiveState;
  /** Why the connection is closed for good, when it is. */
  reason: string | null;
  /** Sends one command line; false when the console is not connected. */
  send: (command: string) => boolean;
  reconnect: () => void;
};

/** Close codes the panel uses: no reconnection after these. */
const CLOSED_FOR_GOOD: Record<number, string> = {
  4401: 'You are signed out.',
  4403: 'You no longer have permission to read this console.',
  4404: 'The server no longer exists.',
};
/** Connections that failed one after another (never opened) before giving up until the user asks again. */
const MAX_ATTEMPTS = 8;

const retryDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));

function parseFrame(data: unknown): ConsoleFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const frame = JSON.parse(data) as ConsoleFrame;
    return frame && typeof frame.type === 'string' ? frame : null;
  } catch {
    return null;
  }
}

export function useConsoleSocket(serverId: string, handlers: ConsoleHandlers): ConsoleConnection {
  const session = useSession();
  const [state, setState] = useState<LiveState>('connecting');
  const [reason, setReason] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const saved = useRef(handlers);
  saved.current = handlers;
  const refresh = useRef(session.refresh);
  refresh.current = session.refresh;
  const socket = useRef<WebSocket | null>(null);

  useEffect(() => {
    let stopped = false;
    let failures = 0;
    let timer: number | null = null;

    const closeForGood = (why: string) => {
      setReason(why);
      setState('closed');
    };

    const retry = () => {
      failures += 1;
      if (failures >= MAX_ATTEMPTS) {
        closeForGood('The console cannot be reached.');
        return;
      }
      setState('reconnecting');
      timer = window.setTimeout(() => void connect(), retryDelayMs(failures));
    };

    const dispatch = (frame: ConsoleFrame) => {
      const h = saved.current;
      if (frame.type === 'history') h.onHistory(Array.isArray(frame.lines) ? frame.lines.filter((l) => typeof l === 'string') : []);
      else if (frame.type === 'output' && typeof frame.data === 'string') h.onOutput(frame.data);
      else if (frame.type === 'state') h.onState(frame.state);
      else if (frame.type === 'stats' && frame.stats) h.onStats(frame.stats);
      else if (frame.type === 'error') h.onError(typeof frame.message === 'string' ? frame.message : 'The console refused that.', String(frame.code));
    };

    const connect = async () => {
      timer = null;
      let ticket: string;
      try {
        ticket = (await createConsoleTicket(serverId)).ticket;
      } catch (err) {
        if (stopped) return;
        // Refused for a reason that waiting does not change: no permission, no such server, signed out.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) closeForGood(describeError(err));
        else retry();
        return;
      }
      if (stopped) return;
      const ws = new WebSocket(consoleSocketUrl(serverId, ticket));
      socket.current = ws;
      ws.onopen = () => {
        failures = 0;
        setReason(null);
        setState('live');
      };
      ws.onmessage = (event: MessageEvent) => {
        const frame = parseFrame(event.data);
        if (frame) dispatch(frame);
      };
      ws.onclose = (event: CloseEvent) => {
        if (socket.current === ws) socket.current = null;
        if (stopped) return;
        const why = CLOSED_FOR_GOOD[event.code];
        if (!why) {
          retry();
          return;
        }
        closeForGood(why);
        // The session may have ended: asking for it again signs the page out if so.
        if (event.code === 4401) void refresh.current();
      };
    };

    setReason(null);
    setState('connecting');
    void connect();
    return () => {
      stopped = true;
      if (timer !== null) window.clearTimeout(timer);
      socket.current?.close(1000, 'page closed');
      socket.current = null;
    };
  }, [serverId, generation]);

  const send = (command: string) => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ type: 'command', command }));
    return true;
  };

  return { state, reason, send, reconnect: () => setGeneration((g) => g + 1) };
}
