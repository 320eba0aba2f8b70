// Accounts: create, read, update, disable and delete users, their passwords and their role assignments.
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, conflict, forbidden, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { auditFrom, type Caller } from './caller.ts';
import type { PasswordHasher } from './password.hasher.ts';
import type { PasswordPolicy } from './password.policy.ts';
import { buildGrants, globalScopes, holdsAll, type Actor, type Grants } from './permissions.ts';
import type { RolesService } from './roles.service.ts';
import { toPublicUser, type PublicUser, type RoleAssignment, type UserRow } from './users.rows.ts';

export type AssignmentInput = { roleId: string; serverId: string | null };

/**
 * A signed-in user as requests see it; `actor` is the one object every request of theirs shares while cached.
 * `twoFactor` says whether the user has a second factor, which the 2FA policy may demand.
 */
export type Principal = { row: UserRow; user: PublicUser; grants: Grants; actor: Readonly<Actor>; twoFactor: boolean };

const PRINCIPAL_CACHE_MS = 2000;

export type UsersService = ReturnType<typeof createUsersService>;

export const normalizeUsername = (u: string): string => u.trim().toLowerCase();
export const normalizeEmail = (e: string): string => e.trim().toLowerCase();

export function createUsersService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  roles: RolesService;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  /** Ends every session of a user (password change, disable, delete). */
  revokeSessions: (userId: string, reason: string, exceptSessionId?: string) => Promise<number>;
  /** Marks a user's sessions for a new id on their next request (privilege change). */
  rotateSessions: (userId: string) => Promise<void>;
}) {
  const { db, clock, audit, roles, hasher, policy } = deps;

  async function row(id: string): Promise<UserRow> {
    const r = (await db<UserRow>('users').where({ id }).first()) as UserRow | undefined;
    if (!r) throw notFound('User');
    return r;
  }

  async function assignments(userIds: string[]): Promise<Map<string, Array<RoleAssignment & { scopes: string[] }>>> {
    const out = new Map<string, Array<RoleAssignment & { scopes: string[] }>>();
    if (userIds.length === 0) return out;
    const rows = (await db('user_roles as ur')
      .join('roles as r', 'r.id', 'ur.role_id')
      .whereIn('ur.user_id', userIds)
      .select('ur.user_id', 'ur.role_id', 'ur.server_id', 'r.name', 'r.scopes')
      .orderBy('r.name')) as Array<{ user_id: string; role_id: string; server_id: string; name: string; scopes: string }>;
    for (const r of rows) {
      const list = out.get(r.user_id) ?? [];
      list.push({ roleId: r.role_id, roleName: r.name, serverId: r.server_id === '*' ? null : r.server_id, scopes: JSON.parse(r.scopes) as string[] });
      out.set(r.user_id, list);
    }
    return out;
  }

  /** Which of these users have two-factor authentication on. */
  async function withTwoFactor(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = (await db('user_totp').whereIn('user_id', userIds).whereNotNull('confirmed_at').select('user_id')) as Array<{ user_id: string }>;
    return new Set(rows.map((r) => r.user_id));
  }

  async function grantsOf(userId: string): Promise<Grants> {
    const list = (await assignments([userId])).get(userId) ?? [];
    return buildGrants(list);
  }

  /** The public shape and the grants of a user, from its row and role assignments. */
  function describe(r: UserRow, list: Array<RoleAssignment & { scopes: string[] }>, twoFactor: boolean): { user: PublicUser; grants: Grants } {
    const grants = buildGrants(list);
    const roles = list.map(({ roleId, roleName, serverId }) => ({ roleId, roleName, serverId }));
    return { user: toPublicUser(r, roles, globalScopes(grants), twoFactor), grants };
  }

  async function present(rows: UserRow[]): Promise<PublicUser[]> {
    const ids = rows.map((r) => r.id);
    const [map, twoFactor] = await Promise.all([assignments(ids), withTwoFactor(ids)]);
    return rows.map((r) => describe(r, map.get(r.id) ?? [], twoFactor.has(r.id)).user);
  }

  function checkPassword(password: string, username: string, email: string): void {
    const result = policy.check(password, { username, email });
    if (!result.ok) throw badRequest('weak_password', `Password rejected: ${result.reasons.join('; ')}.`, { reasons: result.reasons });
  }

  /** Resolves and checks role assignments: the caller must hold every scope of each role where it is assigned. */
  async function resolveAssignments(caller: Caller, input: AssignmentInput[]): Promise<Array<{ roleId: string; roleName: string; serverId: string | null; scopes: string[] }>> {
    const seen = new Set<string>();
    const out = [];
    for (const a of input) {
      const key = `${a.roleId}@${a.serverId ?? '*'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const role = await roles.get(a.roleId).catch(() => {
        throw badRequest('unknown_role', `Role ${a.roleId} does not exist.`);
      });
      // SECURITY: nobody can hand out a scope they do not hold themselves (on that server, or globally).
      if (caller.actor && !holdsAll(caller.actor, role.scopes, a.serverId)) {
        throw forbidden('scope_not_held', `You cannot assign the role "${role.name}": it holds scopes you do not hold.`);
      }
      out.push({ roleId: role.id, roleName: role.name, serverId: a.serverId, scopes: role.scopes });
    }
    return out;
  }

  async function activeAdminCount(excludingUserId: string): Promise<number> {
    const rows = (await db('user_roles as ur')
      .join('roles as r', 'r.id', 'ur.role_id')
      .join('users as u', 'u.id', 'ur.user_id')
      .where('ur.server_id', '*')
      .andWhere('u.disabled', false)
      .andWhereNot('u.id', excludingUserId)
      .select('r.scopes', 'u.id')) as Array<{ scopes: string; id: string }>;
    return new Set(rows.filter((r) => (JSON.parse(r.scopes) as string[]).includes('admin')).map((r) => r.id)).size;
  }

  /** SECURITY: acting on an account (edit, disable, delete, sign out) needs every scope that account holds. */
  async function guardTarget(caller: Caller, userId: string, what: string): Promise<void> {
    if (!caller.actor || caller.actor.id === userId) return;
    const held = (await assignments([userId])).get(userId) ?? [];
    for (const a of held) {
      if (!holdsAll(caller.actor, a.scopes, a.serverId)) {
        throw forbidden('scope_not_held', `You cannot ${what} a user who holds scopes you do not hold (role "${a.roleName}").`);
      }
    }
  }

  async function guardLastAdmin(userId: string, what: string): Promise<void> {
    const grants = await grantsOf(userId);
    if (grants.global.has('admin') && (await activeAdminCount(userId)) === 0) {
      throw conflict('last_admin', `Cannot ${what} the last active administrator.`);
    }
  }

  async function get(id: string): Promise<PublicUser> {
    const [user] = await present([await row(id)]);
    return user as PublicUser;
  }

  // SECURITY: who a signed-in user is and what they hold is cached for at most PRINCIPAL_CACHE_MS, and dropped at once
  // by every change made in this process. Sessions themselves are checked in the database on every request, so ending
  // a session or disabling a user (which ends its sessions) always takes effect immediately, from any process.
  const principals = new Map<string, { at: number; value: Principal }>();
  const invalidate = (userId?: string): void => {
    if (userId === undefined) principals.clear();
    else principals.delete(userId);
  };

  /** The cached principal of a user while it is fresh, without waiting: the common case of every signed-in request. */
  function cachedPrincipal(userId: string): Principal | undefined {
    const hit = principals.get(userId);
    return hit && clock.now() - hit.at < PRINCIPAL_CACHE_MS ? hit.value : undefined;
  }

  /** The user behind a session: its row, public shape and grants; null when gone. */
  async function principal(userId: string): Promise<Principal | null> {
    const hit = cachedPrincipal(userId);
    if (hit) return hit;
    const now = clock.now();
    const r = (await db<UserRow>('users').where({ id: userId }).first()) as UserRow | undefined;
    if (!r) {
      principals.delete(userId);
      return null;
    }
    const [list, twoFactor] = await Promise.all([assignments([userId]), withTwoFactor([userId])]);
    const described = describe(r, list.get(userId) ?? [], twoFactor.has(userId));
    const actor = Object.freeze({ type: 'user' as const, id: r.id, name: r.username, grants: described.grants });
    const value: Principal = { row: r, ...described, actor, twoFactor: twoFactor.has(userId) };
    if (principals.size >= 10_000) principals.clear();
    principals.set(userId, { at: now, value });
    return value;
  }

  return {
    grantsOf,
    get,
    guardTarget,
    cachedPrincipal,
    principal,
    invalidate,
    async count(): Promise<number> {
      const r = (await db('users').count({ n: '*' }).first()) as { n: number | string } | undefined;
      return Number(r?.n ?? 0);
    },
    /** The row needed to log in: by username or e-mail, case-insensitively. */
    async findForLogin(login: string): Promise<UserRow | undefined> {
      const key = login.trim().toLowerCase();
      // No account name holds a NUL (creation refuses it), and PostgreSQL refuses one in a query: nobody, not an error.
      if (key.includes('\u0000')) return undefined;
      return (await db<UserRow>('users').where('username', key).orWhere('email', key).first()) as UserRow | undefined;
    },
    row,
    async list(opts: { limit: number; after?: string | undefined }): Promise<PublicUser[]> {
      const q = db<UserRow>('users').select('*').orderBy('username').limit(opts.limit);
      if (opts.after !== undefined) q.where('username', '>', opts.after);
      return present((await q) as UserRow[]);
    },
    async create(caller: Caller, input: { username: string; email: string; password: string; roles: AssignmentInput[] }): Promise<PublicUser> {
      const username = normalizeUsername(input.username);
      const email = normalizeEmail(input.email);
      checkPassword(input.password, username, email);
      const resolved = await resolveAssignments(caller, input.roles);
      if (await db('users').where({ username }).orWhere({ email }).first()) {
        throw conflict('user_exists', 'A user with this username or e-mail already exists.');
      }
      const hash = await hasher.hash(input.password);
      const now = clock.now();
      const id = newId();
      await db.transaction(async (trx) => {
        await trx('users').insert({ id, username, email, password_hash: hash, disabled: false, created_at: now, updated_at: now, password_changed_at: now });
        for (const a of resolved) await trx('user_roles').insert({ user_id: id, role_id: a.roleId, server_id: a.serverId ?? '*', created_at: now });
      });
      await audit.record({
        type: 'user.created',
        ...auditFrom(caller),
        target: { type: 'user', id, name: username },
        outcome: 'success',
        details: { email, roles: resolved.map((r) => ({ role: r.roleName, serverId: r.serverId })) },
      });
      return (await present([await row(id)]))[0] as PublicUser;
    },
    async update(caller: Caller, id: string, patch: { email?: string | undefined; disabled?: boolean | undefined }): Promise<PublicUser> {
      const before = await row(id);
      await guardTarget(caller, id, 'change');
      const changes: Record<string, unknown> = {};
      if (patch.email !== undefined && normalizeEmail(patch.email) !== before.email) {
        const email = normalizeEmail(patch.email);
        if (await db('users').where({ email }).whereNot({ id }).first()) throw conflict('user_exists', 'Another user has this e-mail address.');
        changes.email = email;
      }
      if (patch.disabled !== undefined && patch.disabled !== Boolean(before.disabled)) {
        if (patch.disabled) {
          if (caller.actor?.id === id) throw conflict('cannot_disable_self', 'You cannot disable your own account.');
          await guardLastAdmin(id, 'disable');
        }
        changes.disabled = patch.disabled;
      }
      if (Object.keys(changes).length === 0) return get(id);
      await db('users').where({ id }).update({ ...changes, updated_at: clock.now() });
      invalidate(id);
      if (changes.disabled === true) await deps.revokeSessions(id, 'user_disabled');
      const type = changes.disabled === true ? 'user.disabled' : changes.disabled === false ? 'user.enabled' : 'user.updated';
      await audit.record({
        type,
        ...auditFrom(caller),
        target: { type: 'user', id, name: before.username },
        outcome: 'success',
        details: { changes: Object.keys(changes), ...(changes.email ? { emailBefore: before.email, emailAfter: changes.email } : {}) },
      });
      return get(id);
    },
    async remove(caller: Caller, id: string): Promise<void> {
      const before = await row(id);
      await guardTarget(caller, id, 'delete');
      if (caller.actor?.id === id) throw conflict('cannot_delete_self', 'You cannot delete your own account.');
      await guardLastAdmin(id, 'delete');
      await deps.revokeSessions(id, 'user_deleted');
      await db('users').where({ id }).delete();
      invalidate(id);
      await audit.record({ type: 'user.deleted', ...auditFrom(caller), target: { type: 'user', id, name: before.username }, outcome: 'success', details: { email: before.email } });
    },
    async setRoles(caller: Caller, id: string, input: AssignmentInput[]): Promise<PublicUser> {
      const user = await row(id);
      const current = (await assignments([id])).get(id) ?? [];
      // SECURITY: removing a role is also a grant decision: the caller must hold what is being taken away.
      for (const a of current) {
        if (caller.actor && !holdsAll(caller.actor, a.scopes, a.serverId)) {
          throw forbidden('scope_not_held', `You cannot change the role "${a.roleName}": it holds scopes you do not hold.`);
        }
      }
      const resolved = await resolveAssignments(caller, input);
      const willBeAdmin = resolved.some((r) => r.serverId === null && r.scopes.includes('admin'));
      if (!willBeAdmin && !user.disabled) await guardLastAdmin(id, 'remove the admin role from');
      const now = clock.now();
      await db.transaction(async (trx) => {
        await trx('user_roles').where({ user_id: id }).delete();
        for (const a of resolved) await trx('user_roles').insert({ user_id: id, role_id: a.roleId, server_id: a.serverId ?? '*', created_at: now });
      });
      invalidate(id);
      await deps.rotateSessions(id);
      await audit.record({
        type: 'user.roles_changed',
        ...auditFrom(caller),
        target: { type: 'user', id, name: user.username },
        outcome: 'success',
        details: {
          before: current.map((r) => ({ role: r.roleName, serverId: r.serverId })),
          after: resolved.map((r) => ({ role: r.roleName, serverId: r.serverId })),
        },
      });
      return get(id);
    },
    /** Sets a new password (policy checked) and ends every other session of the user. */
    async setPassword(caller: Caller, id: string, password: string, opts: { keepSessionId?: string; type?: string } = {}): Promise<void> {
      const user = await row(id);
      checkPassword(password, user.username, user.email);
      const hash = await hasher.hash(password);
      const now = clock.now();
      await db('users').where({ id }).update({ password_hash: hash, password_changed_at: now, updated_at: now, password_reset_required: false });
      invalidate(id);
      const revoked = await deps.revokeSessions(id, 'password_changed', opts.keepSessionId);
      await audit.record({
        type: opts.type ?? 'user.password_changed',
        ...auditFrom(caller),
        target: { type: 'user', id, name: user.username },
        outcome: 'success',
        details: { sessionsRevoked: revoked },
      });
    },
    /**
     * Lockdown: these users (or all) must choose a new password at their next sign-in before doing anything else; the
     * caller is left out. Undone with required=false. Returns how many users changed.
     */
    async setPasswordChangeRequired(caller: Caller, which: 'all' | readonly string[], required: boolean): Promise<number> {
      // Only those whose requirement changes are counted (and touched).
      const q = db('users').where('password_reset_required', !required).update({ password_reset_required: required, updated_at: clock.now() });
      if (which !== 'all') q.whereIn('id', [...which]);
      if (caller.actor?.type === 'user') q.whereNot('id', caller.actor.id);
      const changed = Number(await q);
      invalidate();
      await audit.record({
        type: required ? 'user.password_reset_required' : 'user.password_reset_lifted',
        ...auditFrom(caller),
        target: null,
        outcome: 'success',
        details: { users: changed, scope: which === 'all' ? 'all' : which.slice(0, 50) },
      });
      return changed;
    },
    /** Ends every session of a user (an administrator's action); returns how many were ended. */
    async signOutEverywhere(caller: Caller, id: string): Promise<number> {
      const user = await row(id);
      await guardTarget(caller, id, 'sign out');
      const count = await deps.revokeSessions(id, 'revoked_by_admin');
      await audit.record({ type: 'auth.session.revoked_all', ...auditFrom(caller), target: { type: 'user', id, name: user.username }, outcome: 'success', details: { count } });
      return count;
    },
    async recordLogin(id: string, ip: string | null): Promise<void> {
      await db('users').where({ id }).update({ last_login_at: clock.now(), last_login_ip: ip });
      invalidate(id);
    },
    async rehash(id: string, password: string): Promise<void> {
      await db('users').where({ id }).update({ password_hash: await hasher.hash(password) });
    },
    /** Gives a user a role on one server (the owner of a new server gets server-owner on it). */
    async grantOnServer(caller: Caller, id: string, roleId: string, serverId: string): Promise<void> {
      const user = await row(id);
      const existing = await db('user_roles').where({ user_id: id, role_id: roleId, server_id: serverId }).first('user_id');
      if (!existing) await db('user_roles').insert({ user_id: id, role_id: roleId, server_id: serverId, created_at: clock.now() });
      invalidate(id);
      await audit.record({ type: 'user.roles.changed', ...auditFrom(caller), target: { type: 'user', id, name: user.username }, outcome: 'success', details: { granted: { roleId, serverId } } });
    },
    /** A deleted server's assignments go with it. */
    async forgetServer(serverId: string): Promise<void> {
      const users = ((await db('user_roles').where({ server_id: serverId }).select('user_id')) as Array<{ user_id: string }>).map((r) => r.user_id);
      await db('user_roles').where({ server_id: serverId }).delete();
      for (const u of new Set(users)) invalidate(u);
    },
  };
}
