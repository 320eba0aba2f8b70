// Scope checks for showing or hiding UI; the server enforces every scope again on each request.
import type { User } from '../api/types.ts';

export function hasScope(user: User | null, scope: string): boolean {
  if (!user) return false;
  return user.scopes.includes('admin') || user.scopes.includes(scope);
}

export function hasAnyScope(user: User | null, scopes: readonly string[]): boolean {
  return scopes.length === 0 || scopes.some((scope) => hasScope(user, scope));
}

/**
 * Whether the user may hold a per-server scope on one server: globally, or through a role assigned on that server. The
 * session lists only global scopes, not what a per-server role holds, so any role on the server counts: the action is
 * offered and the server's refusal, if any, is shown.
 */
export function mayOnServer(user: User | null, scope: string, serverId: string): boolean {
  if (hasScope(user, scope)) return true;
  return user?.roles.some((role) => role.serverId === serverId) ?? false;
}
