// Calls a function every so often while the page is visible (a hidden tab does not poll), and once on becoming visible.
import { useEffect, useRef } from 'preact/hooks';

export function usePolling(callback: () => void, everyMs: number): void {
  const saved = useRef(callback);
  saved.current = callback;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, everyMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') saved.current();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [everyMs]);
}
