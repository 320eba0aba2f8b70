// TOTP two-factor authentication: setup with a QR code, codes checked once only, hashed single-use recovery codes.
import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { addressKey } from '../shared/cidr.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, badRequest, conflict, tooManyRequests } from '../shared/errors.ts';
import { digest, newId } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { SecretBoxError, type SecretBox } from '../shared/secret-box.ts';
import { auditFrom, type Caller } from './caller.ts';
import type { RateLimits } from './rate-limits.ts';

export const RECOVERY_CODE_COUNT = 10;
/** A started setup must be confirmed within this time, or started again. */
export const SETUP_TTL_MS = 15 * 60_000;
const PERIOD_SECONDS = 30;

type TotpRow = { user_id: string; secret_enc: string; confirmed_at: number | string | null; last_step: number | string; created_at: number | string };

export type TwoFactorStatus = {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  lastRecoveryCodeUse: { at: string; ip: string | null } | null;
};

/** What proves the second factor: a current authenticator code, or one of the recovery codes. */
export type SecondFactorProof = { code?: string | undefined; recoveryCode?: string | undefined };

export type ProofResult = { method: 'totp' | 'recovery_code'; recoveryCodesLeft?: number };

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;

// Crockford's base32: no I, L, O or U, so codes read aloud or copied by hand survive.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A recovery code: 16 characters of base32 (80 bits), shown as XXXX-XXXX-XXXX-XXXX. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** The canonical form of a typed recovery code (case, spaces, dashes and look-alike letters forgiven), or null. */
export function normalizeRecoveryCode(input: string): string | null {
  const text = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(text) ? text : null;
}

/** A typed authenticator code without spaces, or null when it is not six digits. */
export const normalizeTotpCode = (input: string): string | null => {
  const text = input.replace(/\s/g, '');
  return /^\d{6}$/.test(text) ? text : null;
};

// SECURITY: 80 random bits cannot be brute-forced offline, so a fast hash is enough; the user id keeps equal codes of
// two users apart.
const hashRecoveryCode = (userId: string, normalized: string): string => digest(`aether-recovery:${userId}:${normalized}`);

const invalidCode = () => badRequest('invalid_code', 'That code is not valid, or it was already used. Wait for the next code and try again.');

export function createTwoFactorService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  box: SecretBox;
  limits: RateLimits;
  logger: Logger;
  issuer: string;
  /** Drops cached user data after a change of 2FA state. */
  onChange: (userId: string) => void;
}) {
  const { db, clock, audit, box, limits, logger, issuer } = deps;
  const context = (userId: string) => `totp:${userId}`;
  const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

  const totpRow = async (userId: string): Promise<TotpRow | undefined> => (await db<TotpRow>('user_totp').where({ user_id: userId }).first()) as TotpRow | undefined;

  function secretOf(row: TotpRow): string {
    try {
      return box.open(row.secret_enc, context(row.user_id));
    } catch (err) {
      if (!(err instanceof SecretBoxError)) throw err;
      logger.error({ userId: row.user_id, reason: err.reason, detail: err.message }, 'cannot decrypt a TOTP secret: is the TOTP key file or AETHER_TOTP_KEY the one this database was used with?');
      throw new AppError(409, 'totp_unavailable', 'Authenticator codes cannot be checked for this account right now. Use a recovery code, or ask an administrator.');
    }
  }

  /** The time step a code is valid for (now, or one step either side), or null. */
  function stepOf(secret: string, code: string): number | null {
    const epoch = Math.floor(clock.now() / 1000);
    const result = verifySync({ secret, token: code, epoch, period: PERIOD_SECONDS, epochTolerance: PERIOD_SECONDS });
    return result.valid ? Math.floor(epoch / PERIOD_SECONDS) + result.delta : null;
  }

  /** Checks an authenticator code and spends its time step; 'replayed' when that step or a later one was used already. */
  async function spendCode(row: TotpRow, code: string): Promise<'ok' | 'wrong' | 'replayed'> {
    const step = stepOf(secretOf(row), code);
    if (step === null) return 'wrong';
    // SECURITY: the step is recorded with a compare-and-set, so two requests racing with one code cannot both pass.
    const updated = await db('user_totp').where({ user_id: row.user_id }).andWhere('last_step', '<', step).update({ last_step: step });
    return updated === 1 ? 'ok' : 'replayed';
  }

  async function spendRecoveryCode(userId: string, input: string, ip: string | null): Promise<boolean> {
    const normalized = normalizeRecoveryCode(input);
    if (!normalized) return false;
    const updated = await db('recovery_codes')
      .where({ user_id: userId, code_hash: hashRecoveryCode(userId, normalized) })
      .whereNull('used_at')
      .update({ used_at: clock.now(), used_ip: ip });
    return updated === 1;
  }

  async function recoveryCodesLeft(userId: string): Promise<number> {
    const r = (await db('recovery_codes').where({ user_id: userId }).whereNull('used_at').count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(r?.n ?? 0);
  }

  /** Replaces a user's recovery codes inside a transaction; returns the new codes, shown once. */
  async function issueRecoveryCodes(trx: Db, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const now = clock.now();
    await trx('recovery_codes').where({ user_id: userId }).delete();
    await trx('recovery_codes').insert(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: hashRecoveryCode(userId, normalizeRecoveryCode(code)!), created_at: now })));
    return codes;
  }

  async function enabledRow(userId: string): Promise<TotpRow | undefined> {
    const row = await totpRow(userId);
    return row && row.confirmed_at !== null ? row : undefined;
  }

  /** Counts an attempt against the per-account and per-address limits before it is checked; throws 429 when over. */
  async function admit(caller: Caller, user: { id: string; username: string }): Promise<{ account: string; ip: string }> {
    const keys = { account: `id:${user.id}`, ip: caller.ip ? addressKey(caller.ip) : 'unknown' };
    const wait = Math.max(await limits.twoFactorPerAccount.blockedFor(keys.account), await limits.twoFactorPerIp.blockedFor(keys.ip));
    if (wait > 0) throw tooManyRequests(wait / 1000, 'Too many wrong codes. Try again later.');
    const results = [await limits.twoFactorPerAccount.hit(keys.account), await limits.twoFactorPerIp.hit(keys.ip)];
    for (const [i, r] of results.entries()) {
      if (!r.firstBlock) continue;
      await audit.record({
        type: 'auth.rate_limited',
        ...auditFrom(caller),
        actor: { type: 'user', id: user.id, name: user.username },
        target: { type: 'user', id: user.id, name: user.username },
        outcome: 'denied',
        details: { limiter: i === 0 ? '2fa_account' : '2fa_ip', retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) },
      });
    }
    const blocked = Math.max(...results.map((r) => (r.blocked ? r.retryAfterMs : 0)));
    if (blocked > 0) throw tooManyRequests(blocked / 1000, 'Too many wrong codes. Try again later.');
    return keys;
  }

  return {
    normalizeRecoveryCode,
    async isEnabled(userId: string): Promise<boolean> {
      return (await enabledRow(userId)) !== undefined;
    },

    /**
     * Whether the panel password alone may sign this account in anywhere without a browser (SFTP password logins
     * must ask). An account with 2FA: never; it uses SSH keys or SFTP app passwords there, and OAuth2 clients for the API.
     */
    async passwordAloneAccepted(userId: string): Promise<boolean> {
      return (await enabledRow(userId)) === undefined;
    },

    async status(userId: string): Promise<TwoFactorStatus> {
      const row = await enabledRow(userId);
      const lastUse = (await db('recovery_codes').where({ user_id: userId }).whereNotNull('used_at').orderBy('used_at', 'desc').first()) as
        | { used_at: number | string; used_ip: string | null }
        | undefined;
      return {
        enabled: row !== undefined,
        enabledAt: row ? iso(row.confirmed_at as number) : null,
        recoveryCodesLeft: row ? await recoveryCodesLeft(userId) : 0,
        lastRecoveryCodeUse: row && lastUse ? { at: iso(lastUse.used_at), ip: lastUse.used_ip } : null,
      };
    },

    /** Starts (or restarts) setup: a new secret, stored encrypted and unconfirmed, with its QR code. */
    async beginSetup(user: { id: string; username: string }): Promise<{ secret: string; otpauthUrl: string; qrCode: string; expiresAt: string }> {
      const secret = generateSecret({ length: 20 });
      const now = clock.now();
      const sealed = box.seal(secret, context(user.id));
      // In one transaction, so a setup racing a confirmation can never replace a secret that is already in use.
      await db.transaction(async (trx) => {
        const existing = (await trx('user_totp').where({ user_id: user.id }).first()) as TotpRow | undefined;
        if (existing && existing.confirmed_at !== null) {
          throw conflict('two_factor_already_enabled', 'Two-factor authentication is already on. Turn it off first to set up another device.');
        }
        if (existing) await trx('user_totp').where({ user_id: user.id }).delete();
        await trx('user_totp').insert({ user_id: user.id, secret_enc: sealed, confirmed_at: null, last_step: 0, created_at: now });
      });
      const otpauthUrl = generateURI({ issuer, label: user.username, secret, period: PERIOD_SECONDS });
      const qrCode = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2, width: 232 });
      return { secret, otpauthUrl, qrCode, expiresAt: iso(now + SETUP_TTL_MS) };
    },

    /** Turns 2FA on with the first code from the new device; returns the recovery codes, shown this once. */
    async confirmSetup(caller: Caller, user: { id: string; username: string }, code: string): Promise<string[]> {
      const row = await totpRow(user.id);
      if (!row || row.confirmed_at !== null) {
        throw conflict(row ? 'two_factor_already_enabled' : 'no_setup_in_progress', row ? 'Two-factor authentication is already on.' : 'Start the setup first.');
      }
      if (clock.now() - Number(row.created_at) > SETUP_TTL_MS) {
        await db('user_totp').where({ user_id: user.id }).whereNull('confirmed_at').delete();
        throw conflict('setup_expired', 'The setup took too long. Start again to get a new QR code.');
      }
      const normalized = normalizeTotpCode(code);
      const step = normalized ? stepOf(secretOf(row), normalized) : null;
      if (step === null) throw invalidCode();
      const codes = await db.transaction(async (trx) => {
        const updated = await trx('user_totp').where({ user_id: user.id }).whereNull('confirmed_at').update({ confirmed_at: clock.now(), last_step: step });
        if (updated !== 1) throw conflict('two_factor_already_enabled', 'Two-factor authentication is already on.');
        return issueRecoveryCodes(trx, user.id);
      });
      deps.onChange(user.id);
      await audit.record({ type: 'auth.2fa.enabled', ...auditFrom(caller), target: { type: 'user', id: user.id, name: user.username }, outcome: 'success', details: { recoveryCodes: codes.length } });
      return codes;
    },

    /**
     * Checks a second factor for a user who has 2FA on: rate-limited per account and per address, failures audited,
     * a code accepted once only, a recovery code spent. Throws 400 invalid_code or 429.
     */
    async prove(caller: Caller, user: { id: string; username: string }, proof: SecondFactorProof, purpose: 'login' | 'disable' | 'regenerate' | 'lockdown'): Promise<ProofResult> {
      const row = await enabledRow(user.id);
      if (!row) throw conflict('two_factor_not_enabled', 'Two-factor authentication is not on for this account.');
      const keys = await admit(caller, user);
      const method = proof.recoveryCode !== undefined ? 'recovery_code' : 'totp';
      let outcome: 'ok' | 'wrong' | 'replayed';
      if (method === 'recovery_code') {
        outcome = (await spendRecoveryCode(user.id, proof.recoveryCode ?? '', caller.ip)) ? 'ok' : 'wrong';
      } else {
        const code = normalizeTotpCode(proof.code ?? '');
        outcome = code ? await spendCode(row, code) : 'wrong';
      }
      const target = { type: 'user', id: user.id, name: user.username };
      if (outcome !== 'ok') {
        await audit.record({ type: 'auth.2fa.failure', ...auditFrom(caller), actor: { type: 'user', id: user.id, name: user.username }, target, outcome: 'failure', details: { purpose, method, reason: outcome === 'replayed' ? 'code_reused' : 'wrong_code' } });
        throw invalidCode();
      }
      await Promise.all([limits.twoFactorPerAccount.refund(keys.account), limits.twoFactorPerIp.refund(keys.ip)]);
      if (method === 'totp') return { method };
      const left = await recoveryCodesLeft(user.id);
      await audit.record({ type: 'auth.2fa.recovery_used', ...auditFrom(caller), actor: { type: 'user', id: user.id, name: user.username }, target, outcome: 'success', details: { purpose, recoveryCodesLeft: left } });
      return { method, recoveryCodesLeft: left };
    },

    async regenerateRecoveryCodes(caller: Caller, user: { id: string; username: string }): Promise<string[]> {
      const codes = await db.transaction((trx) => issueRecoveryCodes(trx, user.id));
      await audit.record({ type: 'auth.2fa.recovery_regenerated', ...auditFrom(caller), target: { type: 'user', id: user.id, name: user.username }, outcome: 'success', details: { recoveryCodes: codes.length } });
      return codes;
    },

    /** Removes the secret and the recovery codes. `type` names who did it: the user, or an administrator. */
    async remove(caller: Caller, user: { id: string; username: string }, type: 'auth.2fa.disabled' | 'auth.2fa.reset_by_admin', details: Record<string, unknown> = {}): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('recovery_codes').where({ user_id: user.id }).delete();
        await trx('user_totp').where({ user_id: user.id }).delete();
      });
      deps.onChange(user.id);
      await audit.record({ type, ...auditFrom(caller), target: { type: 'user', id: user.id, name: user.username }, outcome: 'success', details });
    },

    /** How many enabled secrets were sealed with another key than the loaded one (checked at start-up). */
    async foreignKeyCount(): Promise<number> {
      const rows = (await db('user_totp').select('secret_enc')) as Array<{ secret_enc: string }>;
      return rows.filter((r) => !box.owns(r.secret_enc)).length;
    },
  };
}
