// API calls for first-admin setup, sign-in, sign-out and the current session.
import { apiRequest } from './client.ts';
import type { AuthResult, SessionInfo } from './types.ts';

export function getSetupStatus(): Promise<{ setupRequired: boolean }> {
  return apiRequest('GET', '/setup/status', { expectUnauthenticated: true });
}

export function completeSetup(input: { token: string; username: string; email: string; password: string }): Promise<AuthResult> {
  return apiRequest('POST', '/setup', { body: input, expectUnauthenticated: true });
}

export function getSession(): Promise<SessionInfo> {
  return apiRequest('GET', '/auth/session', { expectUnauthenticated: true });
}

export function login(username: string, password: string): Promise<AuthResult> {
  return apiRequest('POST', '/auth/login', { body: { username, password }, expectUnauthenticated: true });
}

export function logout(): Promise<void> {
  return apiRequest('POST', '/auth/logout', { expectUnauthenticated: true });
}
