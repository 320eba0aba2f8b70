// API calls for the signed-in user's OAuth2 API clients: list, create, new secret, revoke tokens, disable and delete.
import { apiRequest } from './client.ts';
import type { ApiClient, ApiClientSecret, ApiClientsMeta, NewApiClientInput } from './types.ts';

const clientPath = (id: string) => `/clients/${encodeURIComponent(id)}`;

/** The caller's own clients; for a user holding admin, every user's clients. */
export async function listClients(): Promise<ApiClient[]> {
  const res = await apiRequest<{ items: ApiClient[] }>('GET', '/clients');
  return res.items;
}

export function getClientsMeta(): Promise<ApiClientsMeta> {
  return apiRequest('GET', '/clients/meta');
}

export function createClient(input: NewApiClientInput): Promise<ApiClientSecret> {
  return apiRequest('POST', '/clients', { body: input });
}

/** Replaces the secret: the old one fails at once and every token of the client is revoked. */
export function regenerateClientSecret(id: string): Promise<ApiClientSecret> {
  return apiRequest('POST', `${clientPath(id)}/secret`);
}

export async function revokeClientTokens(id: string): Promise<number> {
  const res = await apiRequest<{ revoked: number }>('POST', `${clientPath(id)}/revoke-tokens`);
  return res.revoked;
}

/** Disabling also revokes the client's tokens; a disabled client gets no new ones. */
export async function setClientDisabled(id: string, disabled: boolean): Promise<ApiClient> {
  const res = await apiRequest<{ client: ApiClient }>('PATCH', clientPath(id), { body: { disabled } });
  return res.client;
}

export function deleteClient(id: string): Promise<void> {
  return apiRequest('DELETE', clientPath(id));
}
