// The last few minutes of a server's figures (from the console's stats frames, or polled), as chart columns.
import { useCallback, useState } from 'preact/hooks';
import type { Series } from '../../api/resources.api.ts';
import type { ServerStats } from '../../api/servers.types.ts';

/** How far back the live charts reach. */
export const STATS_WINDOW_MS = 5 * 60_000;

export type StatsHistory = {
  /** Milliseconds since the epoch, one per point. */
  ts: number[];
  /** null while the server was not running (a gap in the line). */
  cpuPct: Series;
  memoryBytes: Series;
  latest: ServerStats | null;
};

const EMPTY: StatsHistory = { ts: [], cpuPct: [], memoryBytes: [], latest: null };

function added(h: StatsHistory, stats: ServerStats): StatsHistory {
  const at = Date.parse(stats.ts);
  if (!Number.isFinite(at)) return h;
  const last = h.ts[h.ts.length - 1];
  if (last !== undefined && at <= last) return { ...h, latest: stats };
  const from = h.ts.findIndex((t) => t >= at - STATS_WINDOW_MS);
  const keep = from < 0 ? h.ts.length : from;
  const on = stats.running;
  return {
    ts: [...h.ts.slice(keep), at],
    cpuPct: [...h.cpuPct.slice(keep), on ? stats.cpuPct : null],
    memoryBytes: [...h.memoryBytes.slice(keep), on ? stats.memoryBytes : null],
    latest: stats,
  };
}

export function useStatsHistory(): { history: StatsHistory; push: (stats: ServerStats) => void } {
  const [history, setHistory] = useState<StatsHistory>(EMPTY);
  const push = useCallback((stats: ServerStats) => setHistory((h) => added(h, stats)), []);
  return { history, push };
}
