// API calls for the signed-in user's own profile, password and sessions.
import { apiRequest } from './client.ts';
import type { AccountSession, User } from './types.ts';

export async function getMe(): Promise<User> {
  const res = await apiRequest<{ user: User }>('GET', '/users/me');
  return res.user;
}

export function changePassword(currentPassword: string, newPassword: string): Promise<{ csrfToken: string }> {
  return apiRequest('POST', '/users/me/password', { body: { currentPassword, newPassword } });
}

export async function listMySessions(): Promise<AccountSession[]> {
  const res = await apiRequest<{ items: AccountSession[] }>('GET', '/users/me/sessions');
  return res.items;
}

export function revokeMySession(id: string): Promise<void> {
  return apiRequest('DELETE', `/users/me/sessions/${encodeURIComponent(id)}`);
}
