// The number of open alerts shown in the navigation: read from the API, and updated by the alert pages as they learn it.
import { useEffect, useState } from 'preact/hooks';
import { listAlerts } from '../../api/alerts.api.ts';
import type { AlertCounts } from '../../api/alerts.types.ts';

type Listener = (count: number | null) => void;

let openCount: number | null = null;
const listeners = new Set<Listener>();

/** Stores the counts of an API answer (they cover every alert, whatever the filters of the list). */
export function publishAlertCounts(counts: AlertCounts): void {
  if (counts.open === openCount) return;
  openCount = counts.open;
  for (const listener of listeners) listener(openCount);
}

/** Asks the API for the counts; a failure keeps the last known number (the page that needs the data shows errors). */
export async function refreshAlertCounts(): Promise<void> {
  try {
    publishAlertCounts((await listAlerts({ status: ['open'], limit: 1 })).counts);
  } catch {
    // The badge is a hint; the Alerts page reports what went wrong.
  }
}

export function useOpenAlertCount(): number | null {
  const [count, setCount] = useState(openCount);
  useEffect(() => {
    listeners.add(setCount);
    setCount(openCount);
    return () => {
      listeners.delete(setCount);
    };
  }, []);
  return count;
}
