// Keeps a cursor-paginated list: first page, "load more", reset, and local edits of loaded items.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../api/api-error.ts';
import type { Page } from '../api/types.ts';

export type PagedList<T> = {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  loadMore: () => void;
  reload: () => void;
  setItems: (update: (items: T[]) => T[]) => void;
};

export function usePagedList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, deps: readonly unknown[] = []): PagedList<T> {
  const [items, setItemsState] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;

  useEffect(() => {
    const run = ++latest.current;
    setLoading(true);
    setError(null);
    fetcher.current(null).then(
      (page) => {
        if (run !== latest.current) return;
        setItemsState(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (run !== latest.current) return;
        setItemsState([]);
        setNextCursor(null);
        setError(describeError(err));
        setLoading(false);
      },
    );
  }, [generation, ...deps]);

  const loadMore = useCallback(() => {
    if (!nextCursor) return;
    const run = latest.current;
    setLoadingMore(true);
    setError(null);
    fetcher.current(nextCursor).then(
      (page) => {
        if (run !== latest.current) return;
        setItemsState((prev) => [...prev, ...page.items]);
        setNextCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (run !== latest.current) return;
        setError(describeError(err));
        setLoadingMore(false);
      },
    );
  }, [nextCursor]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setItems = useCallback((update: (items: T[]) => T[]) => setItemsState(update), []);

  return { items, nextCursor, loading, loadingMore, error, loadMore, reload, setItems };
}
