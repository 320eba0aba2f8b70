// Scopes of an OAuth2 client: global names or "scope:serverId", checked against what the owner holds, and intersected with it on use.
import { can, type Grants } from '../auth/permissions.ts';
import { expandScope, isScope, PER_SERVER_SCOPES } from '../auth/scopes.ts';
import { badRequest } from '../shared/errors.ts';

/** A scope of a client: a global scope, or a per-server scope on one server. */
export type ClientScope = { scope: string; serverId: string | null };

const SERVER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Parses "users.view" or "server.start:srv-1"; throws 400 unknown_scope for anything else. */
export function parseClientScope(text: string): ClientScope {
  const at = text.indexOf(':');
  const scope = at === -1 ? text : text.slice(0, at);
  const serverId = at === -1 ? null : text.slice(at + 1);
  if (!isScope(scope)) throw badRequest('unknown_scope', `"${text}" is not a scope.`, { scope: text });
  if (serverId !== null && (!PER_SERVER_SCOPES.has(scope) || !SERVER_ID.test(serverId))) {
    throw badRequest('unknown_scope', `"${text}": only per-server scopes take a server id (scope:serverId).`, { scope: text });
  }
  return { scope, serverId };
}

export const formatClientScope = (s: ClientScope): string => (s.serverId === null ? s.scope : `${s.scope}:${s.serverId}`);

/** Whether the owner holds this scope (globally, or on that server). */
export const ownerHolds = (owner: { grants: Grants }, s: ClientScope): boolean => expandScope(s.scope).every((x) => can(owner, x, s.serverId));

/**
 * What a token may do right now: its scopes, as far as the owner still holds them. A scope the owner lost is gone at
 * once from every client of theirs.
 */
export function effectiveGrants(tokenScopes: readonly string[], owner: Grants): Grants {
  const global = new Set<string>();
  const perServer = new Map<string, Set<string>>();
  const holder = { grants: owner };
  for (const text of tokenScopes) {
    let parsed: ClientScope;
    try {
      parsed = parseClientScope(text);
    } catch {
      continue;
    }
    for (const scope of expandScope(parsed.scope)) {
      if (!can(holder, scope, parsed.serverId)) continue;
      if (parsed.serverId === null) global.add(scope);
      else if (PER_SERVER_SCOPES.has(scope)) {
        let set = perServer.get(parsed.serverId);
        if (!set) perServer.set(parsed.serverId, (set = new Set()));
        set.add(scope);
      }
    }
  }
  return { global, perServer };
}
