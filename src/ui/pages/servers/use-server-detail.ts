// One server: loaded once, read again quietly (it stays on screen) when asked, ignoring stale answers; remembers the
// status of a failed read (404: deleted).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../api/api-error.ts';
import { getServer } from '../../api/servers.api.ts';
import type { Server } from '../../api/servers.types.ts';

export type ServerDetail = {
  server: Server | null;
  loading: boolean;
  error: string | null;
  errorStatus: number | null;
  reload: () => void;
  setServer: (update: (prev: Server) => Server) => void;
};

export function useServerDetail(id: string): ServerDetail {
  const [server, setServerState] = useState<Server | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [errorStatus, setErrorStatus] = useState<number | null>(null);
  const latest = useRef(0);
  const loaded = useRef(false);

  const reload = useCallback(() => {
    const run = ++latest.current;
    getServer(id).then(
      (value) => {
        if (run !== latest.current) return;
        loaded.current = true;
        setServerState(value);
        setError(null);
        setErrorStatus(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (run !== latest.current) return;
        setError(describeError(err));
        setErrorStatus(err instanceof ApiError ? err.status : null);
        setLoading(false);
      },
    );
  }, [id]);

  useEffect(() => {
    setLoading(true);
    reload();
  }, [reload]);

  /** A local change (a state frame, a power action's answer); a read still under way would overwrite it, so it is dropped. */
  const setServer = useCallback((update: (prev: Server) => Server) => {
    if (!loaded.current) return;
    latest.current += 1;
    setServerState((prev) => (prev ? update(prev) : prev));
  }, []);

  return { server, loading, error, errorStatus, reload, setServer };
}
