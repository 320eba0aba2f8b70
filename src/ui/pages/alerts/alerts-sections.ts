// The sections of the Alerts page, each at its own path, and the path of one alert's detail.
import { matchPath } from '../../router/match-path.ts';

export type AlertsSection = 'inbox' | 'channels';

export const ALERTS_PATH = '/alerts';
export const ALERT_DETAIL_PATTERN = '/alerts/:id';

export const alertsSections: ReadonlyArray<{ id: AlertsSection; path: string; label: string }> = [
  { id: 'inbox', path: ALERTS_PATH, label: 'Inbox' },
  { id: 'channels', path: '/alerts/channels', label: 'Channels' },
];

export const alertPath = (id: number) => `${ALERTS_PATH}/${id}`;

export type AlertsView = { kind: 'section'; section: AlertsSection } | { kind: 'detail'; id: number } | { kind: 'unknown' };

/** What a path under /alerts shows: a section, one alert (by its number), or nothing known. */
export function alertsViewOf(path: string): AlertsView {
  const section = alertsSections.find((s) => s.path === path);
  if (section) return { kind: 'section', section: section.id };
  const id = matchPath(ALERT_DETAIL_PATTERN, path)?.['id'];
  if (id && /^[1-9]\d{0,9}$/.test(id) && Number(id) <= 2 ** 31 - 1) return { kind: 'detail', id: Number(id) };
  return { kind: 'unknown' };
}
