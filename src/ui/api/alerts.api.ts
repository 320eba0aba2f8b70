// API calls of the alert inbox: list, detail, acknowledge/resolve/reopen (one or many), notes, assignment and responses.
import type {
  Alert,
  AlertDetail,
  AlertList,
  AlertQuery,
  BulkAction,
  BulkResult,
  ResponseAction,
  ResponseResult,
  TimelineEntry,
} from './alerts.types.ts';
import { apiRequest } from './client.ts';

/** The live stream of alert changes (server-sent events "ready" and "alert"). */
export const ALERT_STREAM_URL = '/api/v1/alerts/stream';

const alertPath = (id: number) => `/alerts/${encodeURIComponent(String(id))}`;

export function listAlerts(query: Partial<AlertQuery>): Promise<AlertList> {
  return apiRequest('GET', '/alerts', {
    query: {
      status: query.status?.join(','),
      severity: query.severity?.join(','),
      source: query.source?.join(','),
      q: query.q?.trim(),
      assignee: query.assignee,
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      offset: query.offset,
    },
  });
}

export function getAlert(id: number): Promise<AlertDetail> {
  return apiRequest('GET', alertPath(id));
}

export type StatusVerb = 'ack' | 'resolve' | 'reopen';

/** Acknowledge, resolve or reopen one alert, with an optional note written on its timeline. */
export async function changeAlertStatus(id: number, verb: StatusVerb, note: string): Promise<Alert> {
  const text = note.trim();
  const res = await apiRequest<{ alert: Alert }>('POST', `${alertPath(id)}/${verb}`, { body: text ? { note: text } : {} });
  return res.alert;
}

export function bulkAlerts(ids: number[], action: BulkAction, note: string): Promise<BulkResult> {
  const text = note.trim();
  return apiRequest('POST', '/alerts/bulk', { body: { ids, action, ...(text ? { note: text } : {}) } });
}

export async function addAlertNote(id: number, text: string): Promise<TimelineEntry[]> {
  const res = await apiRequest<{ timeline: TimelineEntry[] }>('POST', `${alertPath(id)}/notes`, { body: { text: text.trim() } });
  return res.timeline;
}

/** Assigns the alert to a user; null unassigns it. */
export async function assignAlert(id: number, userId: string | null): Promise<Alert> {
  const res = await apiRequest<{ alert: Alert }>('POST', `${alertPath(id)}/assign`, { body: { userId } });
  return res.alert;
}

/** A one-click response; durationMinutes (ban_ip only) null bans until lifted. */
export function respondToAlert(id: number, action: ResponseAction, durationMinutes: number | null = null): Promise<ResponseResult> {
  return apiRequest('POST', `${alertPath(id)}/respond`, { body: action === 'ban_ip' ? { action, durationMinutes } : { action } });
}
