// Lockdown, the one action of the incident response: every OAuth2 token revoked and every client secret replaced
// (clients stay disabled until their owners take the new secret), every session ended but the caller's, every SFTP
// session ended, a new password required of all or chosen users, and optionally maintenance mode (only
// administrators may sign in, from the admin IP allowlist when one is set). Each step is audited and reported;
// maintenance mode and the password requirement can be undone.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import type { SessionsService } from '../auth/sessions.service.ts';
import type { UsersService } from '../auth/users.service.ts';
import type { Db } from '../db/index.ts';
import type { ClientsService } from '../oauth/clients.service.ts';
import type { Clock } from '../shared/clock.ts';

const KEY = 'lockdown';
/** How long the state read from the database is trusted (logins and SFTP sessions ask often). */
const CACHE_MS = 1000;

export type PasswordReset = 'none' | 'all' | { users: string[] };
export type LockdownOptions = { passwordReset: PasswordReset; maintenance: boolean };

export type LockdownStep = { step: 'oauth' | 'sessions' | 'sftp' | 'passwords' | 'maintenance'; count: number; detail: string };
export type LockdownReport = { at: string; by: string; steps: LockdownStep[] };

/** What is kept in settings: the last lockdown (SFTP sessions older than it end) and maintenance mode. */
export type LockdownState = { lastAt: number | null; lastReport: LockdownReport | null; maintenance: { since: number; by: string } | null };

export type LockdownService = ReturnType<typeof createLockdownService>;

export function createLockdownService(deps: { db: Db; clock: Clock; audit: AuditService; users: UsersService; sessions: SessionsService; clients: ClientsService }) {
  const { db, clock, audit } = deps;
  let cached: { at: number; state: LockdownState } | null = null;

  async function read(): Promise<LockdownState> {
    const row = (await db('settings').where({ key: KEY }).first()) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as LockdownState) : { lastAt: null, lastReport: null, maintenance: null };
  }
  async function write(state: LockdownState): Promise<void> {
    const value = JSON.stringify(state);
    const now = clock.now();
    const updated = await db('settings').where({ key: KEY }).update({ value, updated_at: now });
    if (!updated) await db('settings').insert({ key: KEY, value, updated_at: now });
    cached = { at: now, state };
  }
  /** The state, from a cache of a second (other processes, such as the CLI, may change it). */
  async function state(): Promise<LockdownState> {
    const now = clock.now();
    if (cached && now - cached.at < CACHE_MS) return cached.state;
    const s = await read();
    cached = { at: now, state: s };
    return s;
  }

  const by = (caller: Caller) => caller.actor?.name ?? 'system';

  return {
    state,
    /** Whether only administrators may sign in now. */
    maintenance: async (): Promise<boolean> => (await state()).maintenance !== null,

    /** Runs the lockdown; `keepSessionId` is the caller's own session (it stays). Returns what was done. */
    async run(caller: Caller, opts: LockdownOptions, keepSessionId: string | null): Promise<LockdownReport> {
      const at = clock.now();
      await audit.record({ type: 'lockdown.started', ...auditFrom(caller), target: null, outcome: 'success', details: { passwordReset: typeof opts.passwordReset === 'string' ? opts.passwordReset : 'chosen', maintenance: opts.maintenance } });
      const steps: LockdownStep[] = [];
      const oauth = await deps.clients.lockDownAll(caller);
      steps.push({ step: 'oauth', count: oauth.tokens, detail: `${oauth.tokens} token(s) revoked; ${oauth.clients} client(s) got a new secret and stay disabled until their owners regenerate it` });
      const ended = await deps.sessions.revokeAllExcept(keepSessionId);
      steps.push({ step: 'sessions', count: ended, detail: `${ended} session(s) ended${keepSessionId ? ' (yours stays)' : ''}` });
      const prev = await read();
      // SFTP sessions opened before this moment end within seconds (the SFTP server checks against it).
      await write({ ...prev, lastAt: at });
      steps.push({ step: 'sftp', count: 0, detail: 'every open SFTP session ends within seconds' });
      if (opts.passwordReset !== 'none') {
        const n = await deps.users.setPasswordChangeRequired(caller, opts.passwordReset === 'all' ? 'all' : opts.passwordReset.users, true);
        steps.push({ step: 'passwords', count: n, detail: `${n} user(s) must choose a new password at their next sign-in` });
      }
      if (opts.maintenance) {
        steps.push({ step: 'maintenance', count: 1, detail: 'maintenance mode: only administrators may sign in (from the admin IP allowlist when one is set)' });
      }
      const report: LockdownReport = { at: new Date(at).toISOString(), by: by(caller), steps };
      await write({ lastAt: at, lastReport: report, maintenance: opts.maintenance ? { since: at, by: by(caller) } : prev.maintenance });
      await audit.record({ type: 'lockdown.completed', ...auditFrom(caller), target: null, outcome: 'success', details: Object.fromEntries(steps.map((s) => [s.step, s.count])) });
      return report;
    },

    /** Maintenance mode on or off (off is the undo of a lockdown's maintenance step). */
    async setMaintenance(caller: Caller, on: boolean): Promise<void> {
      const prev = await read();
      if ((prev.maintenance !== null) === on) return;
      await write({ ...prev, maintenance: on ? { since: clock.now(), by: by(caller) } : null });
      await audit.record({ type: on ? 'lockdown.maintenance_on' : 'lockdown.maintenance_off', ...auditFrom(caller), target: null, outcome: 'success', details: {} });
    },

    /** Undoes the password requirement: nobody has to choose a new password any more. */
    liftPasswordChange: (caller: Caller): Promise<number> => deps.users.setPasswordChangeRequired(caller, 'all', false),

    /** Whether an SFTP login made at `loginAt` predates the last lockdown (and must end). */
    async endsSession(loginAt: number): Promise<boolean> {
      const { lastAt } = await state();
      return lastAt !== null && loginAt <= lastAt;
    },
  };
}
