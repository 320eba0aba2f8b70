// Alerts from Gatus's `custom` provider: authenticated by a bearer token only Gatus is given, then checked against
// Gatus's own state (its API, re-read) before they reach the inbox: an endpoint Gatus reports down is an alert, one it
// reports up again resolves it. Without the API the alert stands, marked as not re-checked.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AlertsService } from '../alerts/index.ts';
import { gatusKey } from './config.ts';

export const gatusAlertSchema = z.strictObject({
  state: z.enum(['TRIGGERED', 'RESOLVED']),
  group: z.string().max(200),
  name: z.string().min(1).max(300),
  description: z.string().max(500).default(''),
});
export type GatusAlert = z.infer<typeof gatusAlertSchema>;

/** The last result Gatus holds for an endpoint: up, down, or unknown (not checked yet, or the API did not answer). */
export async function endpointState(apiUrl: string, key: string, opts: { timeoutMs?: number; authorization?: string } = {}): Promise<'up' | 'down' | 'unknown'> {
  try {
    const res = await fetch(`${apiUrl.replace(/\/$/, '')}/api/v1/endpoints/${encodeURIComponent(key)}/statuses?page=1&pageSize=1`, {
      headers: { Accept: 'application/json', ...(opts.authorization ? { Authorization: opts.authorization } : {}) },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    if (!res.ok) return 'unknown';
    const body = (await res.json()) as { results?: Array<{ success?: unknown }> };
    const last = body.results?.at(-1);
    return typeof last?.success === 'boolean' ? (last.success ? 'up' : 'down') : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Whether a bearer header carries the token (compared in constant time). */
export function bearerMatches(header: string, token: string): boolean {
  const m = /^Bearer (\S{16,512})$/.exec(header);
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type GatusReceiver = ReturnType<typeof createGatusReceiver>;

export function createGatusReceiver(deps: { alerts: AlertsService; apiUrl: string | null; authorization?: string }) {
  return {
    /** Takes one alert from Gatus; says what became of it. */
    async receive(alert: GatusAlert): Promise<{ outcome: 'raised' | 'resolved' | 'ignored'; state: 'up' | 'down' | 'unknown' }> {
      const key = gatusKey(alert.group, alert.name);
      const state = deps.apiUrl ? await endpointState(deps.apiUrl, key, { authorization: deps.authorization }) : 'unknown';
      const dedupKey = `gatus:${key}`;
      // What Gatus's own state contradicts is not acted on (a stale retry, or a forged call with a leaked token).
      if (alert.state === 'RESOLVED') {
        if (state === 'down') return { outcome: 'ignored', state };
        const resolved = await deps.alerts.resolveByKey(dedupKey, `Gatus reports ${alert.name} up again.`);
        return { outcome: resolved ? 'resolved' : 'ignored', state };
      }
      if (state === 'up') return { outcome: 'ignored', state };
      await deps.alerts.raise({
        source: 'gatus',
        severity: alert.group === 'Panel' ? 'high' : 'medium',
        dedupKey,
        title: `${alert.group ? `${alert.group}: ` : ''}${alert.name} is down`,
        summary: [alert.description, state === 'unknown' ? 'Gatus\'s state could not be re-read: as Gatus sent it.' : 'Gatus\'s state, re-read, says it is down.'].filter(Boolean).join('\n'),
        details: { gatusKey: key, verified: state !== 'unknown' },
      });
      return { outcome: 'raised', state };
    },
  };
}

export type Uptime = { key: string; state: 'up' | 'down' | 'unknown'; uptime24h: number | null; uptime7d: number | null };

/** An endpoint's state (its health badge's JSON) and uptime ratios over 24 hours and 7 days, from Gatus's public routes. */
export async function endpointUptime(apiUrl: string, key: string, timeoutMs = 5000): Promise<Uptime> {
  const base = `${apiUrl.replace(/\/$/, '')}/api/v1/endpoints/${encodeURIComponent(key)}`;
  const get = async (path: string): Promise<string | null> => {
    try {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      return res.ok ? await res.text() : null;
    } catch {
      return null;
    }
  };
  const ratio = (text: string | null) => {
    const n = text === null ? NaN : Number(text.trim());
    return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
  };
  const [health, day, week] = await Promise.all([get('/health/badge.shields'), get('/uptimes/24h'), get('/uptimes/7d')]);
  let state: Uptime['state'] = 'unknown';
  try {
    const message = (JSON.parse(health ?? '') as { message?: unknown }).message;
    if (message === 'up' || message === 'down') state = message;
  } catch {
    state = 'unknown';
  }
  return { key, state, uptime24h: ratio(day), uptime7d: ratio(week) };
}
