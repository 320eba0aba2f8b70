// API calls for panel settings: the admin IP allowlist, the two-factor authentication policy and the status page.
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

export type StatusPageAccess = { kind: 'public' } | { kind: 'basic'; username: string; passwordBcryptBase64Env: string } | { kind: 'panel' };
export type StatusPageSettings = {
  access: StatusPageAccess;
  statusPageUrl: string | null;
  signIn: { issuer: string; clientId: string; redirectUri: string | null; secretEnv: string };
};

export function getStatusPageSettings(): Promise<StatusPageSettings> {
  return apiRequest('GET', '/settings/status-page');
}

export function saveStatusPageAccess(access: StatusPageAccess): Promise<StatusPageSettings> {
  return apiRequest('PUT', '/settings/status-page', { body: access });
}
