// API calls for managing user accounts, and reviewing their SFTP keys and app passwords.
import { apiRequest } from './client.ts';
import type { NewUserInput, Page, RoleAssignment, SftpAppPassword, SshKey, User } from './types.ts';

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

export function listUsers(cursor: string | null, limit = 50): Promise<Page<User>> {
  return apiRequest('GET', '/users', { query: { limit, cursor } });
}

export async function createUser(input: NewUserInput): Promise<User> {
  const res = await apiRequest<{ user: User }>('POST', '/users', { body: input });
  return res.user;
}

export async function updateUser(id: string, patch: { email?: string; disabled?: boolean }): Promise<User> {
  const res = await apiRequest<{ user: User }>('PATCH', userPath(id), { body: patch });
  return res.user;
}

export async function setUserRoles(id: string, roles: RoleAssignment[]): Promise<User> {
  const res = await apiRequest<{ user: User }>('PUT', `${userPath(id)}/roles`, { body: { roles } });
  return res.user;
}

export function deleteUser(id: string): Promise<void> {
  return apiRequest('DELETE', userPath(id));
}

/** Turns off another user's 2FA and ends their sessions; the caller needs users.edit and 2FA of their own. */
export async function resetUserTwoFactor(id: string): Promise<User> {
  const res = await apiRequest<{ user: User }>('DELETE', `${userPath(id)}/2fa`);
  return res.user;
}

export function revokeUserSessions(id: string): Promise<void> {
  return apiRequest('POST', `${userPath(id)}/sessions/revoke`);
}

/** A user's SSH keys and SFTP app passwords, for an administrator's review. */
export function getUserSftpCredentials(id: string): Promise<{ keys: SshKey[]; appPasswords: SftpAppPassword[] }> {
  return apiRequest('GET', `/users/${encodeURIComponent(id)}/sftp-credentials`);
}

export function removeUserSshKey(id: string, keyId: string): Promise<void> {
  return apiRequest('DELETE', `/users/${encodeURIComponent(id)}/ssh-keys/${encodeURIComponent(keyId)}`);
}

export function revokeUserSftpPassword(id: string, itemId: string): Promise<void> {
  return apiRequest('DELETE', `/users/${encodeURIComponent(id)}/sftp-passwords/${encodeURIComponent(itemId)}`);
}
