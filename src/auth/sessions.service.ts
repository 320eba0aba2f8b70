// Server-side sessions: stored by the SHA-256 of their id, with idle and absolute expiry checked on every lookup.
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { digest, newId } from '../shared/ids.ts';

type SessionRow = {
  id: string;
  token_hash: string;
  user_id: string | null;
  data: string;
  ip: string | null;
  user_agent: string | null;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  rotate: number | boolean;
};

/**
 * A sign-in waiting for its second factor: whose password was right, until when the code may come, and how many wrong
 * codes were tried in this session.
 */
export type PendingSecondFactor = { uid: string; until: number; failures: number };

/**
 * What the panel keeps in a session. `authAt` is when the user logged in; it bounds the absolute lifetime. A session
 * holding `mfa` instead of `uid` is not signed in: it only waits for the second factor, and ends with `mfa.until`.
 */
export type SessionData = { uid?: string; authAt?: number; csrfSalt?: string; mfa?: PendingSecondFactor; [key: string]: unknown };

export type SessionInfo = {
  id: string;
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  idleExpiresAt: number;
  rotate: boolean;
};

export type SessionLookup = { info: SessionInfo; data: SessionData } | { expired: 'idle' | 'absolute'; info: SessionInfo } | null;

export type SessionsService = ReturnType<typeof createSessionsService>;

const SESSION_CACHE_MS = 1000;

export function createSessionsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** last_seen_at is written at most this often, so a busy session costs one write a minute, not one per request. */
  touchIntervalMs?: number;
}) {
  const { db, clock, audit, idleTimeoutMs, absoluteTimeoutMs } = deps;
  const touchInterval = deps.touchIntervalMs ?? Math.min(60_000, Math.floor(idleTimeoutMs / 10));

  const toInfo = (r: SessionRow): SessionInfo => ({
    id: r.id,
    userId: r.user_id,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    idleExpiresAt: Number(r.last_seen_at) + idleTimeoutMs,
    rotate: Boolean(r.rotate),
  });

  // SECURITY: a session read from the database is reused for at most SESSION_CACHE_MS. Every change made by this
  // process (logout, revoke, password change, disable, rotation) drops the cached copy at once; a change made by
  // another process (the CLI) is seen within SESSION_CACHE_MS. Expiry is checked on every request either way.
  // The row is parsed once per read: requests in between get the same frozen info and data.
  type Cached = { at: number; row: SessionRow; info: Readonly<SessionInfo>; data: Readonly<SessionData> };
  const cache = new Map<string, Cached>();
  const forget = (pred: (row: SessionRow) => boolean): void => {
    for (const [hash, entry] of cache) if (pred(entry.row)) cache.delete(hash);
  };

  // SECURITY: the one place that says when a session has expired; both lookups below go through it.
  const expiryOf = (info: SessionInfo, now: number): 'absolute' | 'idle' | null =>
    now >= info.expiresAt ? 'absolute' : now >= info.idleExpiresAt ? 'idle' : null;
  const needsTouch = (info: SessionInfo, now: number): boolean => now - info.lastSeenAt >= touchInterval;

  const cached = (tokenHash: string, now: number): Cached | undefined => {
    const hit = cache.get(tokenHash);
    return hit && now - hit.at < SESSION_CACHE_MS ? hit : undefined;
  };

  async function load(tokenHash: string, now: number): Promise<Cached | undefined> {
    const row = (await db<SessionRow>('sessions').where({ token_hash: tokenHash }).first()) as SessionRow | undefined;
    if (!row) {
      cache.delete(tokenHash);
      return undefined;
    }
    const entry: Cached = { at: now, row, info: Object.freeze(toInfo(row)), data: Object.freeze(JSON.parse(row.data) as SessionData) };
    if (cache.size >= 10_000) cache.clear();
    cache.set(tokenHash, entry);
    return entry;
  }

  return {
    idleTimeoutMs,
    absoluteTimeoutMs,
    /**
     * The live session for this secret id when the cache alone can answer (read recently, not expired, no activity
     * to record); undefined when the database is needed, and then lookup() gives the answer.
     */
    peek(key: string): { info: SessionInfo; data: SessionData } | undefined {
      const now = clock.now();
      const entry = cached(digest(key), now);
      if (!entry) return undefined;
      const { info } = entry;
      if (expiryOf(info, now) || needsTouch(info, now)) return undefined;
      return { info, data: entry.data };
    },
    /** Finds a live session by its secret id; an expired one is deleted and reported as such. */
    async lookup(key: string): Promise<SessionLookup> {
      const tokenHash = digest(key);
      const now = clock.now();
      const entry = cached(tokenHash, now) ?? (await load(tokenHash, now));
      if (!entry) return null;
      const { row } = entry;
      let { info } = entry;
      const expired = expiryOf(info, now);
      if (expired) {
        cache.delete(row.token_hash);
        await db('sessions').where({ id: row.id }).delete();
        if (row.user_id) {
          await audit.record({
            type: 'auth.session.expired',
            actor: { type: 'user', id: row.user_id, name: null },
            ip: row.ip,
            userAgent: row.user_agent,
            target: { type: 'session', id: row.id, name: null },
            outcome: 'success',
            details: { reason: expired },
          });
        }
        return { expired, info };
      }
      if (needsTouch(info, now)) {
        await db('sessions').where({ id: row.id }).update({ last_seen_at: now });
        row.last_seen_at = now;
        info = entry.info = Object.freeze(toInfo(row));
      }
      return { info, data: entry.data };
    },
    /** Creates or updates the session stored under this secret id. */
    async save(key: string, data: SessionData, meta: { ip: string | null; userAgent: string | null }): Promise<SessionInfo> {
      const tokenHash = digest(key);
      const now = clock.now();
      const clean = Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('_')));
      cache.delete(tokenHash);
      const existing = (await db<SessionRow>('sessions').where({ token_hash: tokenHash }).first()) as SessionRow | undefined;
      const expiresAt = Math.min((typeof data.authAt === 'number' ? data.authAt : now) + absoluteTimeoutMs, data.mfa?.until ?? Infinity);
      if (existing) {
        await db('sessions').where({ id: existing.id }).update({ data: JSON.stringify(clean), user_id: data.uid ?? null, expires_at: expiresAt, last_seen_at: now });
        return toInfo({ ...existing, data: JSON.stringify(clean), user_id: data.uid ?? null, expires_at: expiresAt, last_seen_at: now });
      }
      const row: SessionRow = {
        id: newId(),
        token_hash: tokenHash,
        user_id: data.uid ?? null,
        data: JSON.stringify(clean),
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 512) ?? null,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        rotate: false,
      };
      await db('sessions').insert(row);
      return toInfo(row);
    },
    async destroyByKey(key: string): Promise<void> {
      cache.delete(digest(key));
      await db('sessions').where({ token_hash: digest(key) }).delete();
    },
    async listForUser(userId: string): Promise<SessionInfo[]> {
      const now = clock.now();
      const rows = (await db<SessionRow>('sessions').where({ user_id: userId }).andWhere('expires_at', '>', now).orderBy('last_seen_at', 'desc')) as SessionRow[];
      return rows.map(toInfo).filter((s) => s.idleExpiresAt > now);
    },
    async get(id: string): Promise<SessionInfo | null> {
      const row = (await db<SessionRow>('sessions').where({ id }).first()) as SessionRow | undefined;
      return row ? toInfo(row) : null;
    },
    async revoke(id: string): Promise<boolean> {
      forget((r) => r.id === id);
      return (await db('sessions').where({ id }).delete()) > 0;
    },
    /** Deletes every session of a user except, optionally, one; returns how many were ended. */
    async revokeAllForUser(userId: string, exceptId?: string): Promise<number> {
      forget((r) => r.user_id === userId && r.id !== exceptId);
      const q = db('sessions').where({ user_id: userId });
      if (exceptId) q.whereNot({ id: exceptId });
      return q.delete();
    },
    /** Lockdown: ends every session of everyone, but `exceptId` (the caller's); returns how many ended. */
    async revokeAllExcept(exceptId: string | null): Promise<number> {
      forget((r) => r.id !== exceptId);
      const q = db('sessions');
      if (exceptId) q.whereNot({ id: exceptId });
      return q.delete();
    },
    async markRotate(userId: string): Promise<void> {
      forget((r) => r.user_id === userId);
      await db('sessions').where({ user_id: userId }).update({ rotate: true });
    },
    async purgeExpired(): Promise<number> {
      cache.clear();
      const now = clock.now();
      return db('sessions').where('expires_at', '<=', now).orWhere('last_seen_at', '<=', now - idleTimeoutMs).delete();
    },
  };
}
