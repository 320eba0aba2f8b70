// API calls for the signed-in user's own profile, password, sessions, and SFTP keys and app passwords.
import { apiRequest } from './client.ts';
import type { AccountSession, SftpAppPassword, SshKey, User } from './types.ts';

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


export async function listMySshKeys(): Promise<SshKey[]> {
  const res = await apiRequest<{ items: SshKey[] }>('GET', '/users/me/ssh-keys');
  return res.items;
}

export async function addMySshKey(name: string, publicKey: string, currentPassword: string): Promise<SshKey> {
  const res = await apiRequest<{ key: SshKey }>('POST', '/users/me/ssh-keys', { body: { name, publicKey, currentPassword } });
  return res.key;
}

export function removeMySshKey(id: string): Promise<void> {
  return apiRequest('DELETE', `/users/me/ssh-keys/${encodeURIComponent(id)}`);
}

export async function listMySftpPasswords(): Promise<SftpAppPassword[]> {
  const res = await apiRequest<{ items: SftpAppPassword[] }>('GET', '/users/me/sftp-passwords');
  return res.items;
}

/** The password is in this answer only. */
export function createMySftpPassword(name: string, currentPassword: string): Promise<{ appPassword: SftpAppPassword; password: string }> {
  return apiRequest('POST', '/users/me/sftp-passwords', { body: { name, currentPassword } });
}

export function revokeMySftpPassword(id: string): Promise<void> {
  return apiRequest('DELETE', `/users/me/sftp-passwords/${encodeURIComponent(id)}`);
}
