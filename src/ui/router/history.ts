// A tiny History API router: current location, navigate(), and subscription for components.
import { useEffect, useState } from 'preact/hooks';

export type Location = {
  path: string;
  query: URLSearchParams;
  /** True when the location was reached through navigate() (not the first load). */
  navigated: boolean;
};

type Listener = () => void;

const listeners = new Set<Listener>();
let navigatedOnce = false;

function read(): Location {
  return {
    path: normalize(window.location.pathname),
    query: new URLSearchParams(window.location.search),
    navigated: navigatedOnce,
  };
}

function normalize(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  navigatedOnce = true;
  notify();
});

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (to === current) return;
  navigatedOnce = true;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const listener = () => setLocation(read());
    listeners.add(listener);
    // Catch a change that happened between the first render and this effect.
    listener();
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return location;
}

/** Only same-origin absolute paths are accepted as a post-login destination. */
export function safeNextPath(next: string | null): string {
  // SECURITY: refuse protocol-relative and absolute URLs so ?next= cannot become an open redirect.
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
