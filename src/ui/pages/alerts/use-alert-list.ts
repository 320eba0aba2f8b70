// The inbox's list state: one page of alerts with total and counts, reloaded quietly (no spinner) and edited live.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { listAlerts } from '../../api/alerts.api.ts';
import type { AlertList, AlertQuery, AlertSummary } from '../../api/alerts.types.ts';
import { publishAlertCounts } from './open-alerts-count.ts';

/** Changes arrive in bursts (a storm of detections): the counts are read again once the burst is over. */
const COUNTS_DELAY_MS = 500;

export type AlertListState = {
  data: AlertList | null;
  /** The first load after the query changed (a spinner is shown). */
  loading: boolean;
  error: string | null;
  /**
   * Reads the page again; quiet keeps the rows on screen meanwhile. Resolves with the ids that were not listed before
   * (none after a first load).
   */
  reload: (opts?: { quiet?: boolean }) => Promise<number[]>;
  /** Puts a new alert on top of the page (the last row makes room), counting it in the total. */
  addOnTop: (alert: AlertSummary) => void;
  /** Replaces a listed alert in place; returns whether it was listed. */
  replace: (alert: AlertSummary) => boolean;
  /** Reads the counts per status again, shortly (once per burst of changes). */
  refreshCounts: () => void;
};

export function useAlertList(query: AlertQuery): AlertListState {
  const [data, setData] = useState<AlertList | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const current = useRef<AlertList | null>(null);
  const queryRef = useRef(query);
  queryRef.current = query;
  const countsTimer = useRef<number | null>(null);
  const key = JSON.stringify(query);

  const store = (next: AlertList) => {
    current.current = next;
    setData(next);
    publishAlertCounts(next.counts);
  };

  const reload = useCallback(async (opts: { quiet?: boolean } = {}): Promise<number[]> => {
    const run = ++latest.current;
    if (!opts.quiet) setLoading(true);
    try {
      const next = await listAlerts(queryRef.current);
      if (run !== latest.current) return [];
      const before = current.current;
      store(next);
      setError(null);
      if (!before) return [];
      const known = new Set(before.items.map((item) => item.id));
      return next.items.filter((item) => !known.has(item.id)).map((item) => item.id);
    } catch (err) {
      if (run === latest.current) setError(describeError(err));
      return [];
    } finally {
      if (run === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    current.current = null;
    void reload();
  }, [key]);

  useEffect(
    () => () => {
      if (countsTimer.current !== null) window.clearTimeout(countsTimer.current);
    },
    [],
  );

  const addOnTop = useCallback((alert: AlertSummary) => {
    const prev = current.current;
    if (!prev || prev.items.some((item) => item.id === alert.id)) return;
    store({ ...prev, items: [alert, ...prev.items].slice(0, queryRef.current.limit), total: prev.total + 1 });
  }, []);

  const replace = useCallback((alert: AlertSummary) => {
    const prev = current.current;
    if (!prev || !prev.items.some((item) => item.id === alert.id)) return false;
    store({ ...prev, items: prev.items.map((item) => (item.id === alert.id ? alert : item)) });
    return true;
  }, []);

  const refreshCounts = useCallback(() => {
    if (countsTimer.current !== null) return;
    countsTimer.current = window.setTimeout(() => {
      countsTimer.current = null;
      listAlerts({ limit: 1 }).then(
        (answer) => {
          const prev = current.current;
          if (prev) store({ ...prev, counts: answer.counts });
        },
        () => undefined,
      );
    }, COUNTS_DELAY_MS);
  }, []);

  return { data, loading, error, reload, addOnTop, replace, refreshCounts };
}
