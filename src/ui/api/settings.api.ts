// API calls for panel settings: the admin IP allowlist and the two-factor authentication policy.
import { apiRequest } from './client.ts';
import type { Allowlist, TwoFactorPolicy, TwoFactorPolicySettings } from './types.ts';

export function getAllowlist(): Promise<Allowlist> {
  return apiRequest('GET', '/settings/allowlist');
}

export function saveAllowlist(cidrs: string[]): Promise<Allowlist> {
  return apiRequest('PUT', '/settings/allowlist', { body: { cidrs } });
}

export function getTwoFactorPolicy(): Promise<TwoFactorPolicySettings> {
  return apiRequest('GET', '/settings/two-factor');
}

export function saveTwoFactorPolicy(require2fa: TwoFactorPolicy): Promise<TwoFactorPolicySettings> {
  return apiRequest('PUT', '/settings/two-factor', { body: { require2fa } });
}
