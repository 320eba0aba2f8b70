// A server's figures from GET /servers/:id/stats: read when it comes into view or changes state, and every few seconds
// while it runs and is in view (a hidden tab does not poll).
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { getServerStats } from '../../api/servers.api.ts';
import type { ServerState, ServerStats } from '../../api/servers.types.ts';
import { usePolling } from '../../hooks/use-polling.ts';

export const STATS_POLL_MS = 5_000;

export function usePolledStats(serverId: string, state: ServerState, inView: boolean): { stats: ServerStats | null; error: string | null } {
  const [stats, setStats] = useState<ServerStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  const read = () => {
    const run = ++latest.current;
    getServerStats(serverId).then(
      (value) => {
        if (run !== latest.current) return;
        setStats(value);
        setError(null);
      },
      (err: unknown) => {
        if (run === latest.current) setError(describeError(err));
      },
    );
  };

  useEffect(() => {
    if (inView) read();
  }, [serverId, state, inView]);
  usePolling(() => {
    if (inView && state === 'running') read();
  }, STATS_POLL_MS);

  return { stats, error };
}
