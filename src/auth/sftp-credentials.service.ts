// SFTP credentials a user keeps in their account: SSH public keys (ed25519, ECDSA, RSA of 3072 bits or more) and
// app passwords (shown once, kept as digests), for users who may not use their account password over SFTP (2FA).
// Every change is audited; the SFTP server ends the user's open sessions on it.
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';
import { digest, newId, newSecret, safeEqual } from '../shared/ids.ts';
import { parsePublicKey, PublicKeyError } from '../shared/ssh-key.ts';
import { auditFrom, type Caller } from './caller.ts';

export const MAX_KEYS_PER_USER = 50;
export const MAX_APP_PASSWORDS_PER_USER = 20;

export type SshKey = { id: string; name: string; type: string; bits: number; fingerprint: string; createdAt: string; lastUsedAt: string | null };
export type AppPassword = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

type KeyRow = { id: string; user_id: string; name: string; type: string; bits: number; fingerprint: string; public_key: string; created_at: number | string; last_used_at: number | string | null };
type PasswordRow = { id: string; user_id: string; name: string; digest: string; created_at: number | string; last_used_at: number | string | null };

const iso = (v: number | string | null) => (v === null ? null : new Date(Number(v)).toISOString());
const presentKey = (r: KeyRow): SshKey => ({ id: r.id, name: r.name, type: r.type, bits: r.bits, fingerprint: r.fingerprint, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at) });
const presentPassword = (r: PasswordRow): AppPassword => ({ id: r.id, name: r.name, createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at) });

/** App passwords start with this, so a leaked one is recognised for what it is (as secret scanners do for tokens). */
export const APP_PASSWORD_PREFIX = 'aether_sftp_';

export type SftpCredentials = ReturnType<typeof createSftpCredentials>;

export function createSftpCredentials(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const record = (caller: Caller, type: string, userId: string, details: Record<string, unknown>) =>
    audit.record({ type, ...auditFrom(caller), target: { type: 'user', id: userId, name: null }, outcome: 'success', details });

  return {
    async listKeys(userId: string): Promise<SshKey[]> {
      return ((await db<KeyRow>('user_ssh_keys').where({ user_id: userId }).orderBy('created_at')) as KeyRow[]).map(presentKey);
    },

    /** Adds a public key line; refused when malformed, weak, or already on the account. */
    async addKey(caller: Caller, userId: string, input: { name: string; publicKey: string }): Promise<SshKey> {
      let key;
      try {
        key = parsePublicKey(input.publicKey);
      } catch (err) {
        if (err instanceof PublicKeyError) throw badRequest('invalid_public_key', err.message);
        throw err;
      }
      const count = Number(((await db('user_ssh_keys').where({ user_id: userId }).count({ n: '*' }).first()) as { n: number | string }).n);
      if (count >= MAX_KEYS_PER_USER) throw conflict('too_many_keys', `An account holds at most ${MAX_KEYS_PER_USER} SSH keys; remove one first.`);
      if (await db('user_ssh_keys').where({ user_id: userId, fingerprint: key.fingerprint }).first('id')) throw conflict('key_exists', 'This key is on the account already.');
      const row: KeyRow = {
        id: newId(),
        user_id: userId,
        name: input.name || key.comment || key.type,
        type: key.type,
        bits: key.bits,
        fingerprint: key.fingerprint,
        public_key: key.blob.toString('base64'),
        created_at: clock.now(),
        last_used_at: null,
      };
      await db('user_ssh_keys').insert(row);
      await record(caller, 'sftp.key_added', userId, { keyId: row.id, name: row.name, type: row.type, fingerprint: row.fingerprint });
      return presentKey(row);
    },

    async removeKey(caller: Caller, userId: string, keyId: string): Promise<void> {
      const row = (await db<KeyRow>('user_ssh_keys').where({ id: keyId, user_id: userId }).first()) as KeyRow | undefined;
      if (!row) throw notFound('SSH key');
      await db('user_ssh_keys').where({ id: keyId }).delete();
      await record(caller, 'sftp.key_removed', userId, { keyId, name: row.name, fingerprint: row.fingerprint });
    },

    /** The user's key with this fingerprint: its id and wire blob (what a login signature is checked against). */
    async keyFor(userId: string, fingerprint: string): Promise<{ id: string; blob: Buffer } | null> {
      const row = (await db<KeyRow>('user_ssh_keys').where({ user_id: userId, fingerprint }).first('id', 'public_key')) as Pick<KeyRow, 'id' | 'public_key'> | undefined;
      return row ? { id: row.id, blob: Buffer.from(row.public_key, 'base64') } : null;
    },

    /** Whether the user still holds this key (an open session using it ends when it is removed). */
    async hasKey(userId: string, keyId: string): Promise<boolean> {
      return (await db('user_ssh_keys').where({ id: keyId, user_id: userId }).first('id')) !== undefined;
    },

    async listAppPasswords(userId: string): Promise<AppPassword[]> {
      return ((await db<PasswordRow>('sftp_app_passwords').where({ user_id: userId }).orderBy('created_at')) as PasswordRow[]).map(presentPassword);
    },

    /** A new app password: returned once, in full, and never again (only its digest is kept). */
    async createAppPassword(caller: Caller, userId: string, name: string): Promise<{ appPassword: AppPassword; password: string }> {
      const count = Number(((await db('sftp_app_passwords').where({ user_id: userId }).count({ n: '*' }).first()) as { n: number | string }).n);
      if (count >= MAX_APP_PASSWORDS_PER_USER) throw conflict('too_many_app_passwords', `An account holds at most ${MAX_APP_PASSWORDS_PER_USER} SFTP app passwords; revoke one first.`);
      const password = `${APP_PASSWORD_PREFIX}${newSecret(32)}`;
      const row: PasswordRow = { id: newId(), user_id: userId, name, digest: digest(password), created_at: clock.now(), last_used_at: null };
      await db('sftp_app_passwords').insert(row);
      await record(caller, 'sftp.app_password_created', userId, { appPasswordId: row.id, name });
      return { appPassword: presentPassword(row), password };
    },

    async revokeAppPassword(caller: Caller, userId: string, id: string): Promise<void> {
      const row = (await db<PasswordRow>('sftp_app_passwords').where({ id, user_id: userId }).first()) as PasswordRow | undefined;
      if (!row) throw notFound('App password');
      await db('sftp_app_passwords').where({ id }).delete();
      await record(caller, 'sftp.app_password_revoked', userId, { appPasswordId: id, name: row.name });
    },

    /** The id of the user's app password this is, or null. */
    async checkAppPassword(userId: string, password: string): Promise<string | null> {
      if (!password.startsWith(APP_PASSWORD_PREFIX)) return null;
      const d = digest(password);
      const row = (await db<PasswordRow>('sftp_app_passwords').where({ digest: d }).first('id', 'user_id', 'digest')) as Pick<PasswordRow, 'id' | 'user_id' | 'digest'> | undefined;
      return row && row.user_id === userId && safeEqual(row.digest, d) ? row.id : null;
    },

    async hasAppPassword(userId: string, id: string): Promise<boolean> {
      return (await db('sftp_app_passwords').where({ id, user_id: userId }).first('id')) !== undefined;
    },

    /** Notes a credential's use (shown in the account page). */
    async touch(kind: 'key' | 'app_password', id: string): Promise<void> {
      await db(kind === 'key' ? 'user_ssh_keys' : 'sftp_app_passwords').where({ id }).update({ last_used_at: clock.now() });
    },
  };
}
