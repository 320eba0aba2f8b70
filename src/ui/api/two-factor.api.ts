// API calls for the signed-in user's own two-factor authentication: status, setup, recovery codes and turning it off.
import { apiRequest } from './client.ts';
import type { SecondFactorProof, TwoFactorSetup, TwoFactorStatus } from './types.ts';

export function getTwoFactorStatus(): Promise<TwoFactorStatus> {
  return apiRequest('GET', '/account/2fa');
}

/** Starts (or starts over) setup with a new secret; nothing changes until confirmTwoFactorSetup succeeds. */
export function startTwoFactorSetup(): Promise<TwoFactorSetup> {
  return apiRequest('POST', '/account/2fa/setup');
}

/** Turns 2FA on; the session gets a new id (and CSRF token) and the user's other sessions end. */
export function confirmTwoFactorSetup(code: string): Promise<{ recoveryCodes: string[]; csrfToken: string }> {
  return apiRequest('POST', '/account/2fa/confirm', { body: { code } });
}

export function disableTwoFactor(password: string, proof: SecondFactorProof): Promise<{ twoFactorSetupRequired: boolean }> {
  return apiRequest('DELETE', '/account/2fa', { body: { password, ...proof } });
}

/** Replaces all recovery codes; the old ones stop working. */
export function regenerateRecoveryCodes(password: string, code: string): Promise<{ recoveryCodes: string[] }> {
  return apiRequest('POST', '/account/2fa/recovery-codes', { body: { password, code } });
}
