// API calls of the uptime page (Gatus) as the panel relays it: the panel's own endpoints and a server's public ports.
import { apiRequest } from './client.ts';

export type UptimeState = 'up' | 'down' | 'unknown';
type UptimeFigures = { key: string; state: UptimeState; uptime24h: number | null; uptime7d: number | null };
export type PanelUptime = { available: boolean; statusPageUrl: string | null; items: Array<UptimeFigures & { name: string }> };
export type ServerUptime = { available: boolean; items: Array<UptimeFigures & { port: string }> };

export function getPanelUptime(): Promise<PanelUptime> {
  return apiRequest<PanelUptime>('GET', '/uptime');
}

export function getServerUptime(id: string): Promise<ServerUptime> {
  return apiRequest<ServerUptime>('GET', `/servers/${encodeURIComponent(id)}/uptime`);
}

/** A 0-1 ratio as people read it: 100 %, 99.85 %, or a dash when Gatus has no figure yet. */
export function percentText(ratio: number | null): string {
  if (ratio === null) return '–';
  const pct = ratio * 100;
  return `${pct === 100 ? '100' : pct.toFixed(2)} %`;
}
