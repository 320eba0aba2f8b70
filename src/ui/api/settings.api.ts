// API calls for panel settings: the admin IP allowlist.
import { apiRequest } from './client.ts';
import type { Allowlist } from './types.ts';

export function getAllowlist(): Promise<Allowlist> {
  return apiRequest('GET', '/settings/allowlist');
}

export function saveAllowlist(cidrs: string[]): Promise<Allowlist> {
  return apiRequest('PUT', '/settings/allowlist', { body: { cidrs } });
}
