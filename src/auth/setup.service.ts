// First run: while no user exists, a one-time setup link (random, single use, valid 1 h) creates the first administrator.
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, conflict } from '../shared/errors.ts';
import { digest, newSecret } from '../shared/ids.ts';
import type { RolesService } from './roles.service.ts';
import type { UsersService } from './users.service.ts';
import type { PublicUser } from './users.rows.ts';

const TOKEN_TTL_MS = 60 * 60 * 1000;

export type SetupService = ReturnType<typeof createSetupService>;

export function createSetupService(deps: { db: Db; clock: Clock; audit: AuditService; users: UsersService; roles: RolesService }) {
  const { db, clock, audit, users, roles } = deps;

  const invalid = () => new AppError(403, 'setup_token_invalid', 'This setup link is invalid, used or expired. Restart the panel to print a new one.');

  return {
    async required(): Promise<boolean> {
      return (await users.count()) === 0;
    },
    /** Issues a fresh token (older unused ones stop working); null when setup is already done. */
    async issueToken(): Promise<string | null> {
      if ((await users.count()) > 0) return null;
      const token = newSecret(32);
      const now = clock.now();
      await db('setup_tokens').whereNull('used_at').delete();
      await db('setup_tokens').insert({ token_hash: digest(token), created_at: now, expires_at: now + TOKEN_TTL_MS, used_at: null });
      await audit.record({ type: 'setup.token_issued', actor: { type: 'system', id: null, name: 'setup' }, outcome: 'success', details: { expiresAt: new Date(now + TOKEN_TTL_MS).toISOString() } });
      return token;
    },
    async complete(
      token: string,
      input: { username: string; email: string; password: string },
      meta: { ip: string; userAgent: string | null },
    ): Promise<PublicUser> {
      const now = clock.now();
      const hash = digest(token);
      const row = (await db('setup_tokens').where({ token_hash: hash }).first()) as { expires_at: number | string; used_at: unknown } | undefined;
      if (!row || row.used_at !== null || Number(row.expires_at) <= now) {
        await audit.record({ type: 'setup.failure', actor: { type: 'anonymous', id: null, name: null }, ip: meta.ip, userAgent: meta.userAgent, outcome: 'denied', details: { reason: 'invalid_token' } });
        throw invalid();
      }
      if ((await users.count()) > 0) throw conflict('setup_done', 'The panel already has users.');
      // SECURITY: claim the token atomically first, so two requests racing with the same link cannot both create an admin.
      const claimed = await db('setup_tokens').where({ token_hash: hash }).whereNull('used_at').update({ used_at: now });
      if (claimed !== 1) throw invalid();
      const adminRole = await roles.getByName('admin');
      try {
        const user = await users.create({ actor: null, ip: meta.ip, userAgent: meta.userAgent, system: 'setup' }, { ...input, roles: [{ roleId: adminRole.id, serverId: null }] });
        await audit.record({ type: 'setup.completed', actor: { type: 'user', id: user.id, name: user.username }, ip: meta.ip, userAgent: meta.userAgent, target: { type: 'user', id: user.id, name: user.username }, outcome: 'success' });
        return user;
      } catch (err) {
        // A rejected password must not burn the link.
        await db('setup_tokens').where({ token_hash: hash }).update({ used_at: null });
        throw err;
      }
    },
  };
}
