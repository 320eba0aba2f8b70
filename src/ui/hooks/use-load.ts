// Loads data once (and again on reload()), tracking loading and error state; ignores stale answers.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';

export type Loaded<T> = {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
  setData: (update: T | ((prev: T | null) => T)) => void;
};

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [data, setDataState] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const run = ++latest.current;
    setLoading(true);
    setError(null);
    load().then(
      (value) => {
        if (run !== latest.current) return;
        setDataState(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (run !== latest.current) return;
        setError(describeError(err));
        setLoading(false);
      },
    );
  }, [generation, ...deps]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((update: T | ((prev: T | null) => T)) => {
    setDataState((prev) => (typeof update === 'function' ? (update as (p: T | null) => T)(prev) : update));
  }, []);

  return { data, error, loading, reload, setData };
}
