// can(actor, scope, serverId?): the only permission check, over grants resolved from a user's roles.
import { expandScope, PER_SERVER_SCOPES } from './scopes.ts';

/** What an actor holds: scopes granted globally, and scopes granted on single servers. */
export type Grants = {
  readonly global: ReadonlySet<string>;
  readonly perServer: ReadonlyMap<string, ReadonlySet<string>>;
};

export type Actor = {
  type: 'user' | 'client';
  id: string;
  name: string;
  grants: Grants;
};

export const EMPTY_GRANTS: Grants = { global: new Set(), perServer: new Map() };

/** Builds grants from role assignments: each is a role's scopes, globally ('*') or on one server. */
export function buildGrants(assignments: ReadonlyArray<{ scopes: readonly string[]; serverId: string | null }>): Grants {
  const global = new Set<string>();
  const perServer = new Map<string, Set<string>>();
  for (const a of assignments) {
    for (const granted of a.scopes) {
      for (const scope of expandScope(granted)) {
        if (a.serverId === null) global.add(scope);
        else if (PER_SERVER_SCOPES.has(scope)) {
          // SECURITY: a per-server assignment can only carry per-server scopes; anything else in the role is ignored there.
          let set = perServer.get(a.serverId);
          if (!set) perServer.set(a.serverId, (set = new Set()));
          set.add(scope);
        }
      }
    }
  }
  return { global, perServer };
}

export function can(actor: Pick<Actor, 'grants'> | null | undefined, scope: string, serverId?: string | null): boolean {
  if (!actor) return false;
  const { global, perServer } = actor.grants;
  if (global.has(scope)) return true;
  if (serverId != null && PER_SERVER_SCOPES.has(scope)) return perServer.get(serverId)?.has(scope) ?? false;
  return false;
}

/** True when the actor holds every scope (as expanded) on the given server, or globally when serverId is null. */
export function holdsAll(actor: Pick<Actor, 'grants'>, scopes: readonly string[], serverId: string | null): boolean {
  const needed = scopes.flatMap(expandScope).filter((s) => serverId === null || PER_SERVER_SCOPES.has(s));
  return needed.every((s) => can(actor, s, serverId));
}

/** The effective global scopes, listed for clients (the UI hides what the user cannot do). */
export const globalScopes = (grants: Grants): string[] => [...grants.global].sort();
