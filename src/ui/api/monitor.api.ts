// API calls of the security monitor: detections, bans (list, add, lift), detection rules and a user's known addresses.
import { apiRequest } from './client.ts';
import type { Ban, Detection, DetectionFilters, KnownIp, MonitorRule, NewBanInput, Page } from './types.ts';

export const DETECTIONS_PAGE_SIZE = 50;
/** The most bans the API returns in one answer; the list has no further pages. */
export const BANS_LIMIT = 200;

/**
 * One page of detections, newest first. The API pages by id (before = the last id seen) and has no cursor of its own:
 * a full page may have more after it, so its last id becomes the next cursor.
 */
export async function listDetections(filters: DetectionFilters, cursor: string | null): Promise<Page<Detection>> {
  const res = await apiRequest<{ items: Detection[] }>('GET', '/monitor/detections', {
    query: { limit: DETECTIONS_PAGE_SIZE, rule: filters.rule, ip: filters.ip.trim(), before: cursor },
  });
  const last = res.items[res.items.length - 1];
  const full = res.items.length >= DETECTIONS_PAGE_SIZE;
  return { items: res.items, nextCursor: full && last ? String(last.id) : null };
}

export async function listBans(activeOnly: boolean): Promise<Ban[]> {
  const res = await apiRequest<{ items: Ban[] }>('GET', '/monitor/bans', { query: { active: String(activeOnly), limit: BANS_LIMIT } });
  return res.items;
}

export async function createBan(input: NewBanInput): Promise<Ban> {
  const res = await apiRequest<{ ban: Ban }>('POST', '/monitor/bans', { body: input });
  return res.ban;
}

export async function liftBan(id: number): Promise<Ban> {
  const res = await apiRequest<{ ban: Ban }>('DELETE', `/monitor/bans/${encodeURIComponent(String(id))}`);
  return res.ban;
}

export async function listRules(): Promise<MonitorRule[]> {
  const res = await apiRequest<{ items: MonitorRule[] }>('GET', '/monitor/rules');
  return res.items;
}

export async function listKnownIps(userId: string): Promise<KnownIp[]> {
  const res = await apiRequest<{ items: KnownIp[] }>('GET', `/monitor/known-ips/${encodeURIComponent(userId)}`);
  return res.items;
}
