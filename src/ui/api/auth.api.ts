// API calls for first-admin setup, sign-in (password and second factor), sign-out and the current session.
import { apiRequest } from './client.ts';
import type { AuthResult, LoginResult, PendingSecondFactor, SecondFactorProof, SecondFactorResult, SessionInfo } from './types.ts';

export function getSetupStatus(): Promise<{ setupRequired: boolean }> {
  return apiRequest('GET', '/setup/status', { expectUnauthenticated: true });
}

export function completeSetup(input: { token: string; username: string; email: string; password: string }): Promise<AuthResult> {
  return apiRequest('POST', '/setup', { body: input, expectUnauthenticated: true });
}

export function getSession(): Promise<SessionInfo> {
  return apiRequest('GET', '/auth/session', { expectUnauthenticated: true });
}

/** Either signs in, or (for an account with 2FA) leaves a second step pending. */
export function login(username: string, password: string): Promise<LoginResult> {
  return apiRequest('POST', '/auth/login', { body: { username, password }, expectUnauthenticated: true });
}

export function isPendingSecondFactor(result: LoginResult): result is PendingSecondFactor {
  return 'twoFactorRequired' in result && result.twoFactorRequired === true;
}

/** Completes a pending sign-in with a code from the authenticator app or a recovery code. */
export function verifySecondFactor(proof: SecondFactorProof): Promise<SecondFactorResult> {
  return apiRequest('POST', '/auth/2fa', { body: proof, expectUnauthenticated: true });
}

export function logout(): Promise<void> {
  return apiRequest('POST', '/auth/logout', { expectUnauthenticated: true });
}
