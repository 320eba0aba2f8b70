// Roles: built-in and custom groups of scopes; nobody can put a scope they do not hold into a role.
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, conflict, forbidden, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { auditFrom, type Caller } from './caller.ts';
import { holdsAll } from './permissions.ts';
import { BUILTIN_ROLES, isScope } from './scopes.ts';

export type Role = { id: string; name: string; description: string; builtin: boolean; scopes: string[] };

type RoleRow = { id: string; name: string; description: string; builtin: number | boolean; scopes: string };

const fromRow = (r: RoleRow): Role => ({
  id: r.id,
  name: r.name,
  description: r.description,
  builtin: Boolean(r.builtin),
  scopes: JSON.parse(r.scopes) as string[],
});

export type RolesService = ReturnType<typeof createRolesService>;

export function createRolesService(deps: { db: Db; clock: Clock; audit: AuditService; onChange?: () => void }) {
  const { db, clock, audit } = deps;
  const changed = () => deps.onChange?.();

  function checkScopes(caller: Caller, scopes: string[]): string[] {
    const unique = [...new Set(scopes)];
    const unknown = unique.filter((s) => !isScope(s));
    if (unknown.length) throw badRequest('unknown_scope', `Unknown scope(s): ${unknown.join(', ')}.`, { scopes: unknown });
    // SECURITY: a role can only be given scopes the editor holds globally, so roles cannot be used to escalate.
    if (caller.actor && !holdsAll(caller.actor, unique, null)) {
      throw forbidden('scope_not_held', 'You cannot grant scopes you do not hold yourself.');
    }
    return unique.sort();
  }

  async function get(id: string): Promise<Role> {
    const row = (await db<RoleRow>('roles').where({ id }).first()) as RoleRow | undefined;
    if (!row) throw notFound('Role');
    return fromRow(row);
  }

  return {
    async ensureBuiltins(): Promise<void> {
      const now = clock.now();
      for (const def of BUILTIN_ROLES) {
        const existing = (await db<RoleRow>('roles').where({ name: def.name }).first()) as RoleRow | undefined;
        if (!existing) {
          await db('roles').insert({ id: newId(), name: def.name, description: def.description, builtin: true, scopes: JSON.stringify(def.scopes), created_at: now, updated_at: now });
        } else if (existing.scopes !== JSON.stringify(def.scopes) || !existing.builtin) {
          await db('roles').where({ id: existing.id }).update({ builtin: true, scopes: JSON.stringify(def.scopes), description: def.description, updated_at: now });
        }
      }
    },
    async list(): Promise<Role[]> {
      const rows = (await db<RoleRow>('roles').select('*').orderBy([{ column: 'builtin', order: 'desc' }, { column: 'name' }])) as RoleRow[];
      return rows.map(fromRow);
    },
    get,
    async getByName(name: string): Promise<Role> {
      const row = (await db<RoleRow>('roles').where({ name }).first()) as RoleRow | undefined;
      if (!row) throw notFound(`Role "${name}"`);
      return fromRow(row);
    },
    async create(caller: Caller, input: { name: string; description?: string | undefined; scopes: string[] }): Promise<Role> {
      const scopes = checkScopes(caller, input.scopes);
      if (await db('roles').where({ name: input.name }).first()) throw conflict('role_exists', `A role named "${input.name}" already exists.`);
      const now = clock.now();
      const role: Role = { id: newId(), name: input.name, description: input.description ?? '', builtin: false, scopes };
      await db('roles').insert({ id: role.id, name: role.name, description: role.description, builtin: false, scopes: JSON.stringify(scopes), created_at: now, updated_at: now });
      await audit.record({ type: 'role.created', ...auditFrom(caller), target: { type: 'role', id: role.id, name: role.name }, outcome: 'success', details: { scopes } });
      return role;
    },
    async update(caller: Caller, id: string, patch: { name?: string | undefined; description?: string | undefined; scopes?: string[] | undefined }): Promise<Role> {
      const role = await get(id);
      if (role.builtin) throw forbidden('builtin_role', 'Built-in roles cannot be changed.');
      const next = { ...role };
      if (patch.name !== undefined && patch.name !== role.name) {
        if (await db('roles').where({ name: patch.name }).first()) throw conflict('role_exists', `A role named "${patch.name}" already exists.`);
        next.name = patch.name;
      }
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.scopes !== undefined) {
        next.scopes = checkScopes(caller, patch.scopes);
        // SECURITY: removing scopes from a role someone holds is also a change of their privileges.
        if (caller.actor && !holdsAll(caller.actor, role.scopes, null)) throw forbidden('scope_not_held', 'You cannot change a role that holds scopes you do not hold.');
      }
      await db('roles').where({ id }).update({ name: next.name, description: next.description, scopes: JSON.stringify(next.scopes), updated_at: clock.now() });
      await audit.record({
        type: 'role.updated',
        ...auditFrom(caller),
        target: { type: 'role', id, name: next.name },
        outcome: 'success',
        details: { before: { name: role.name, scopes: role.scopes }, after: { name: next.name, scopes: next.scopes } },
      });
      changed();
      return next;
    },
    async remove(caller: Caller, id: string): Promise<void> {
      const role = await get(id);
      if (role.builtin) throw forbidden('builtin_role', 'Built-in roles cannot be deleted.');
      if (caller.actor && !holdsAll(caller.actor, role.scopes, null)) throw forbidden('scope_not_held', 'You cannot delete a role that holds scopes you do not hold.');
      await db('roles').where({ id }).delete();
      await audit.record({ type: 'role.deleted', ...auditFrom(caller), target: { type: 'role', id, name: role.name }, outcome: 'success', details: { scopes: role.scopes } });
      changed();
    },
  };
}
