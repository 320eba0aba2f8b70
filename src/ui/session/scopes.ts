// Scope checks for showing or hiding UI; the server enforces every scope again on each request.
import type { User } from '../api/types.ts';

export function hasScope(user: User | null, scope: string): boolean {
  if (!user) return false;
  return user.scopes.includes('admin') || user.scopes.includes(scope);
}

export function hasAnyScope(user: User | null, scopes: readonly string[]): boolean {
  return scopes.length === 0 || scopes.some((scope) => hasScope(user, scope));
}
