// Bearer tokens on /api/v1: the token's scopes as far as its client and the client's owner still hold them, from allowed addresses only.
import type { Actor } from '../auth/permissions.ts';
import type { UsersService } from '../auth/users.service.ts';
import { forbidden } from '../shared/errors.ts';
import type { ArtifactStore } from './artifacts.store.ts';
import { effectiveGrants } from './client-scopes.ts';
import type { ClientsService } from './clients.service.ts';

export type BearerCaller = { ip: string; userAgent: string | null };

export function createBearerResolver(deps: { store: ArtifactStore; clients: ClientsService; users: UsersService }) {
  const { store, clients, users } = deps;
  /**
   * The actor behind an access token, or null when the token is unknown, expired or revoked, or its client or owner is
   * gone or disabled. Checked on every request: an owner who loses a scope takes it from the token at once.
   */
  return async (token: string, caller: BearerCaller): Promise<Actor | null> => {
    const stored = await store.findToken(token);
    if (!stored) return null;
    const record = await clients.record(stored.clientId);
    if (!record || record.disabled) return null;
    const owner = users.cachedPrincipal(record.ownerId) ?? (await users.principal(record.ownerId));
    if (!owner || owner.row.disabled) return null;
    if (!clients.ipAllowed(record, caller.ip)) {
      await clients.denied(record, caller, 'ip_not_allowed', { where: 'api' });
      throw forbidden('ip_not_allowed', 'This API client may not be used from your address.');
    }
    await clients.noteUse(record, caller.ip, 'api');
    return { type: 'client', id: record.id, name: record.name, grants: effectiveGrants(stored.scope, owner.grants) };
  };
}
