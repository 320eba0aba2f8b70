// API calls for roles and the catalogue of scopes.
import { apiRequest } from './client.ts';
import type { Role, RoleInput, Scope } from './types.ts';

const rolePath = (id: string) => `/roles/${encodeURIComponent(id)}`;

export async function listRoles(): Promise<Role[]> {
  const res = await apiRequest<{ items: Role[] }>('GET', '/roles');
  return res.items;
}

export async function createRole(input: RoleInput): Promise<Role> {
  const res = await apiRequest<{ role: Role }>('POST', '/roles', { body: input });
  return res.role;
}

export async function updateRole(id: string, patch: Partial<RoleInput>): Promise<Role> {
  const res = await apiRequest<{ role: Role }>('PATCH', rolePath(id), { body: patch });
  return res.role;
}

export function deleteRole(id: string): Promise<void> {
  return apiRequest('DELETE', rolePath(id));
}

export async function listScopes(): Promise<Scope[]> {
  const res = await apiRequest<{ items: Scope[] }>('GET', '/scopes');
  return res.items;
}
