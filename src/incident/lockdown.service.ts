// Lockdown, the one action of the incident response: every OAuth2 token revoked and every client secret replaced
// (clients stay disabled until their owners take the new secret), every session ended but the caller's, every SFTP
// session ended, a new password required of all or chosen users, and optionally maintenance mode (only
// administrators may sign in, from the admin IP allowlist when one is set). Each step is audited and reported;
// maintenance mode and the password requirement can be undone.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import type { SessionsService } from '../auth/sessions.service.ts';
import type { UsersService } from '../auth/users.service.ts';
import { readSetting, writeSetting, type Db } from '../db/index.ts';
import type { ClientsService } from '../oauth/clients.service.ts';
import type { Clock } from '../shared/clock.ts';

const KEY = 'lockdown';
/** How long the state read from the database is trusted (logins and SFTP sessions ask often). */
const CACHE_MS = 1000;

export type PasswordReset = 'none' | 'all' | { users: string[] };
export type LockdownOptions = { passwordReset: PasswordReset; maintenance: boolean; notifyUsers?: boolean };

export type LockdownStep = { step: 'oauth' | 'sessions' | 'sftp' | 'passwords' | 'maintenance' | 'notify'; count: number; detail: string };
export type LockdownReport = { at: string; by: string; steps: LockdownStep[] };

/** What is kept in settings: the last lockdown (SFTP sessions older than it end) and maintenance mode. */
export type LockdownState = { lastAt: number | null; lastReport: LockdownReport | null; maintenance: { since: number; by: string } | null };

export type LockdownService = ReturnType<typeof createLockdownService>;

/** Sends e-mail to people (the alert e-mail channel's SMTP server). */
export type Mailer = { mailPeople(addresses: readonly string[], subject: string, text: string): Promise<{ channel: string | null; sent: number; failed: number }> };

export function createLockdownService(deps: { db: Db; clock: Clock; audit: AuditService; users: UsersService; sessions: SessionsService; clients: ClientsService; mailer?: Mailer }) {
  const { db, clock, audit } = deps;
  let cached: { at: number; state: LockdownState } | null = null;

  async function read(): Promise<LockdownState> {
    return (await readSetting<LockdownState>(db, KEY)) ?? { lastAt: null, lastReport: null, maintenance: null };
  }
  async function write(state: LockdownState): Promise<void> {
    const now = clock.now();
    await writeSetting(db, KEY, state, now);
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

  /** One e-mail to each affected user: what happened, and what they must do (a new password, new client secrets). */
  async function notify(caller: Caller, at: number, resetIds: readonly string[], owners: ReadonlyArray<{ owner_id: string; name: string }>): Promise<LockdownStep> {
    const ids = [...new Set([...resetIds, ...owners.map((o) => o.owner_id)])];
    const people = ids.length ? ((await db('users').whereIn('id', ids).where({ disabled: false }).select('id', 'username', 'email')) as Array<{ id: string; username: string; email: string }>) : [];
    if (!deps.mailer || people.length === 0) return { step: 'notify', count: 0, detail: people.length ? 'no one was e-mailed: there is no e-mail channel' : 'no one to e-mail' };
    let sent = 0;
    let failed = 0;
    let channel: string | null = null;
    for (const p of people) {
      const lines = [
        `Hello ${p.username},`,
        '',
        `Aether Panel was locked down by ${by(caller)} at ${new Date(at).toISOString()} after a suspected security incident. Every session was ended: sign in again.`,
      ];
      if (resetIds.includes(p.id)) lines.push('', 'You must choose a new password when you sign in next. Do not use your old password anywhere else either.');
      const clients = owners.filter((o) => o.owner_id === p.id).map((o) => o.name);
      if (clients.length) lines.push('', `Your API client(s) ${clients.join(', ')} were disabled and their secrets replaced: regenerate each secret under API clients to use it again.`);
      lines.push('', 'If you did not expect this, contact your administrator.');
      const r = await deps.mailer.mailPeople([p.email], 'Security lockdown: action needed', lines.join('\n'));
      channel = r.channel;
      if (r.channel === null) return { step: 'notify', count: 0, detail: 'no one was e-mailed: there is no e-mail channel' };
      sent += r.sent;
      failed += r.failed;
    }
    return { step: 'notify', count: sent, detail: `${sent} user(s) e-mailed through ${channel}${failed ? `; ${failed} e-mail(s) could not be sent` : ''}` };
  }

  return {
    state,
    /** Whether only administrators may sign in now. */
    maintenance: async (): Promise<boolean> => (await state()).maintenance !== null,

    /** Runs the lockdown; `keepSessionId` is the caller's own session (it stays). Returns what was done. */
    async run(caller: Caller, opts: LockdownOptions, keepSessionId: string | null): Promise<LockdownReport> {
      const at = clock.now();
      await audit.record({ type: 'lockdown.started', ...auditFrom(caller), target: null, outcome: 'success', details: { passwordReset: typeof opts.passwordReset === 'string' ? opts.passwordReset : 'chosen', maintenance: opts.maintenance } });
      const steps: LockdownStep[] = [];
      // Who is affected, known before anything changes: client owners, and those who must choose a new password.
      const owners = (await db('oauth_clients').select('owner_id', 'name')) as Array<{ owner_id: string; name: string }>;
      const callerId = caller.actor?.type === 'user' ? caller.actor.id : null;
      const resetIds =
        opts.passwordReset === 'none'
          ? []
          : opts.passwordReset === 'all'
            ? ((await db('users').select('id')) as Array<{ id: string }>).map((r) => r.id).filter((id) => id !== callerId)
            : opts.passwordReset.users.filter((id) => id !== callerId);
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
      if (opts.notifyUsers) steps.push(await notify(caller, at, resetIds, owners));
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
