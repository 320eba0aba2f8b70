// One alert's detail: loaded once, read again quietly (rows stay on screen) after changes, ignoring stale answers.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import { getAlert } from '../../api/alerts.api.ts';
import type { Alert, AlertDetail, TimelineEntry } from '../../api/alerts.types.ts';

export type AlertDetailState = {
  data: AlertDetail | null;
  loading: boolean;
  error: string | null;
  /** The API's status of the last failed read (404: no such alert). */
  errorStatus: number | null;
  reload: () => void;
  setAlert: (alert: Alert) => void;
  setTimeline: (timeline: TimelineEntry[]) => void;
};

export function useAlertDetail(id: number): AlertDetailState {
  const [data, setData] = useState<AlertDetail | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [errorStatus, setErrorStatus] = useState<number | null>(null);
  const latest = useRef(0);

  const reload = useCallback(() => {
    const run = ++latest.current;
    getAlert(id).then(
      (detail) => {
        if (run !== latest.current) return;
        setData(detail);
        setError(null);
        setErrorStatus(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (run !== latest.current) return;
        setError(describeError(err));
        setErrorStatus(typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : null);
        setLoading(false);
      },
    );
  }, [id]);

  useEffect(() => {
    setLoading(true);
    reload();
  }, [reload]);

  const setAlert = useCallback((alert: Alert) => setData((prev) => (prev ? { ...prev, alert } : prev)), []);
  const setTimeline = useCallback((timeline: TimelineEntry[]) => setData((prev) => (prev ? { ...prev, timeline } : prev)), []);

  return { data, loading, error, errorStatus, reload, setAlert, setTimeline };
}
