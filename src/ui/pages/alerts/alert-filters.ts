// The inbox filters: their defaults, the API query they make, and whether an alert from the live stream matches them.
import type { AlertQuery, AlertSort, AlertSource, AlertStatus, AlertSummary, SortOrder } from '../../api/alerts.types.ts';
import { SEVERITIES } from '../../api/alerts.types.ts';
import type { Severity } from '../../api/types.ts';

export type AlertFilters = {
  /** Empty: every status. */
  status: AlertStatus[];
  /** The lowest severity shown; empty for any. */
  minSeverity: Severity | '';
  source: AlertSource | '';
  q: string;
  /** Only alerts assigned to the signed-in user. */
  mine: boolean;
  sort: AlertSort;
  order: SortOrder;
};

export const defaultAlertFilters: AlertFilters = {
  status: ['open', 'acknowledged'],
  minSeverity: '',
  source: '',
  q: '',
  mine: false,
  sort: 'last_seen',
  order: 'desc',
};

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

export type Paging = { offset: number; limit: number };

const severitiesFrom = (min: Severity | ''): Severity[] => (min ? SEVERITIES.slice(SEVERITIES.indexOf(min)) : []);

export function toAlertQuery(filters: AlertFilters, paging: Paging, userId: string | null): AlertQuery {
  return {
    status: filters.status,
    severity: severitiesFrom(filters.minSeverity),
    source: filters.source ? [filters.source] : [],
    q: filters.q.trim(),
    assignee: filters.mine && userId ? userId : '',
    sort: filters.sort,
    order: filters.order,
    limit: paging.limit,
    offset: paging.offset,
  };
}

/** Whether a new alert belongs in the list as filtered (the same test the server makes; new alerts have no assignee). */
export function matchesFilters(alert: AlertSummary, filters: AlertFilters): boolean {
  if (filters.status.length > 0 && !filters.status.includes(alert.status)) return false;
  if (filters.minSeverity && SEVERITIES.indexOf(alert.severity) < SEVERITIES.indexOf(filters.minSeverity)) return false;
  if (filters.source && alert.source !== filters.source) return false;
  if (filters.mine) return false;
  const q = filters.q.trim().toLowerCase();
  return !q || alert.title.toLowerCase().includes(q) || alert.summary.toLowerCase().includes(q);
}

/** A new alert is the newest by first and last seen: it goes on top of the first page when the list is sorted that way. */
export function newGoesOnTop(filters: AlertFilters, paging: Paging): boolean {
  return paging.offset === 0 && filters.order === 'desc' && (filters.sort === 'last_seen' || filters.sort === 'first_seen');
}
