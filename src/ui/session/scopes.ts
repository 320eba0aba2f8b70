// Scope checks for showing or hiding UI; the server enforces every scope again on each request.
import type { User } from '../api/types.ts';

export function hasScope(user: User | null, scope: string): boolean {
  if (!user) return false;
  return user.scopes.includes('admin') || user.scopes.includes(scope);
}

export function hasAnyScope(user: User | null, scopes: readonly string[]): boolean {
  return scopes.length === 0 || scopes.some((scope) => hasScope(user, scope));
}

/** Whether the signed-in user holds a per-server scope on this server, as the server's own answer says. */
export function mayOnServer(server: { myScopes: readonly string[] }, scope: string): boolean {
  return server.myScopes.includes(scope);
}
