// OAuth2 clients: created by a user with a subset of their scopes, secret shown once and stored hashed, tokens revoked on every change.
import { randomBytes } from 'node:crypto';
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import type { UsersService } from '../auth/users.service.ts';
import type { Db } from '../db/index.ts';
import { ipInCidrs, parseCidr } from '../shared/cidr.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, forbidden, notFound } from '../shared/errors.ts';
import { digest, safeEqual } from '../shared/ids.ts';
import type { ArtifactStore } from './artifacts.store.ts';
import { formatClientScope, ownerHolds, parseClientScope } from './client-scopes.ts';

type ClientRow = {
  id: string;
  owner_id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  allowed_ips: string;
  token_ttl: number | string;
  disabled: number | boolean;
  created_at: number | string;
  updated_at: number | string;
  secret_rotated_at: number | string;
  last_used_at: number | string | null;
  last_used_ip: string | null;
  locked_down_at: number | string | null;
};

/** A client as the API shows it: never its secret. */
export type PublicClient = {
  id: string;
  name: string;
  ownerId: string;
  ownerName: string;
  scopes: string[];
  allowedIps: string[];
  tokenTtl: number;
  disabled: boolean;
  /** Disabled by a lockdown until its owner regenerates (takes) the new secret. */
  lockedDownAt: string | null;
  createdAt: string;
  secretRotatedAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  activeTokens: number;
};

/** What token issuance and bearer authentication need to know about a client. */
export type ClientRecord = { id: string; ownerId: string; name: string; secretHash: string; scopes: string[]; allowedIps: string[]; tokenTtl: number; disabled: boolean };

export type ClientsService = ReturnType<typeof createClientsService>;

export type NewClient = { name: string; scopes: string[]; allowedIps?: string[] | undefined; tokenTtl?: number | undefined };

const CLIENT_CACHE_MS = 1000;
/** last_used_at is written at most this often per client. */
const TOUCH_MS = 60_000;

/** The stored form of a client secret. 256 random bits need no slow hash: SHA-256 cannot be reversed or guessed. */
export const hashClientSecret = (secret: string): string => digest(`aether-oauth-client:${secret}`);
export const clientSecretMatches = (stored: string, presented: string): boolean => safeEqual(hashClientSecret(presented), stored);

const newClientId = () => `ac-${randomBytes(12).toString('hex')}`;
const newClientSecret = () => `acs_${randomBytes(32).toString('base64url')}`;

export function createClientsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  users: UsersService;
  store: ArtifactStore;
  defaultTokenTtl: number;
  maxTokenTtl: number;
}) {
  const { db, clock, audit, users, store } = deps;
  const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

  const toRecord = (r: ClientRow): ClientRecord => ({
    id: r.id,
    ownerId: r.owner_id,
    name: r.name,
    secretHash: r.secret_hash,
    scopes: JSON.parse(r.scopes) as string[],
    allowedIps: JSON.parse(r.allowed_ips) as string[],
    tokenTtl: Number(r.token_ttl),
    disabled: Boolean(r.disabled),
  });

  // Read for every bearer request: kept for at most CLIENT_CACHE_MS, dropped at once by every change in this process.
  const cache = new Map<string, { at: number; record: ClientRecord | null }>();
  const seenIps = new Map<string, Set<string>>();
  const touched = new Map<string, number>();

  async function row(id: string): Promise<ClientRow> {
    const r = (await db<ClientRow>('oauth_clients').where({ id }).first()) as ClientRow | undefined;
    if (!r) throw notFound('Client');
    return r;
  }

  async function present(rows: ClientRow[]): Promise<PublicClient[]> {
    const owners = new Map<string, string>();
    for (const ownerId of new Set(rows.map((r) => r.owner_id))) owners.set(ownerId, (await users.row(ownerId).catch(() => null))?.username ?? '');
    const active = await store.activeTokens(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      ownerId: r.owner_id,
      ownerName: owners.get(r.owner_id) ?? '',
      scopes: JSON.parse(r.scopes) as string[],
      allowedIps: JSON.parse(r.allowed_ips) as string[],
      tokenTtl: Number(r.token_ttl),
      disabled: Boolean(r.disabled),
      lockedDownAt: r.locked_down_at === null || r.locked_down_at === undefined ? null : iso(r.locked_down_at),
      createdAt: iso(r.created_at),
      secretRotatedAt: iso(r.secret_rotated_at),
      lastUsedAt: r.last_used_at === null ? null : iso(r.last_used_at),
      lastUsedIp: r.last_used_ip,
      activeTokens: active.get(r.id) ?? 0,
    }));
  }

  /** SECURITY: a client is managed by its owner, or by an administrator; anyone else is told it does not exist. */
  async function managed(caller: Caller, id: string): Promise<ClientRow> {
    const r = await row(id);
    if (!caller.actor || (r.owner_id !== caller.actor.id && !caller.actor.grants.global.has('admin'))) throw notFound('Client');
    return r;
  }

  const forget = (id: string) => cache.delete(id);

  async function revokeTokens(caller: Caller, r: ClientRow, reason: string): Promise<number> {
    const revoked = await store.revokeClient(r.id);
    await audit.record({ type: 'oauth.token.revoked', ...auditFrom(caller), target: { type: 'oauth_client', id: r.id, name: r.name }, outcome: 'success', details: { reason, tokens: revoked } });
    return revoked;
  }

  function checkIps(list: string[]): string[] {
    return [
      ...new Set(
        list.map((text) => {
          try {
            return parseCidr(text).text;
          } catch {
            throw badRequest('invalid_cidr', `"${text}" is not an IPv4/IPv6 address or CIDR range.`, { cidr: text });
          }
        }),
      ),
    ];
  }

  return {
    maxTokenTtl: deps.maxTokenTtl,
    defaultTokenTtl: deps.defaultTokenTtl,

    async list(caller: Caller): Promise<PublicClient[]> {
      const q = db<ClientRow>('oauth_clients').select('*').orderBy('name');
      if (!caller.actor?.grants.global.has('admin')) q.where({ owner_id: caller.actor?.id ?? '' });
      return present((await q) as ClientRow[]);
    },

    /** Creates a client of the caller; returns it with its secret, which is never shown again. */
    async create(caller: Caller, input: NewClient): Promise<{ client: PublicClient; clientSecret: string }> {
      const owner = caller.actor;
      if (!owner || owner.type !== 'user') throw forbidden('session_required', 'API clients are created by a signed-in user.');
      const scopes = [...new Set(input.scopes.map((t) => formatClientScope(parseClientScope(t))))];
      for (const text of scopes) {
        // SECURITY: a client never gets a scope its owner does not hold.
        if (!ownerHolds(owner, parseClientScope(text))) throw forbidden('scope_not_held', `You cannot give a client the scope "${text}": you do not hold it.`);
      }
      const allowedIps = checkIps(input.allowedIps ?? []);
      const tokenTtl = input.tokenTtl ?? deps.defaultTokenTtl;
      if (tokenTtl < 60 || tokenTtl > deps.maxTokenTtl) {
        throw badRequest('token_ttl_out_of_range', `Token lifetime must be between 60 and ${deps.maxTokenTtl} seconds.`, { maxTokenTtl: deps.maxTokenTtl });
      }
      const id = newClientId();
      const secret = newClientSecret();
      const now = clock.now();
      await db('oauth_clients').insert({
        id,
        owner_id: owner.id,
        name: input.name.trim(),
        secret_hash: hashClientSecret(secret),
        scopes: JSON.stringify(scopes),
        allowed_ips: JSON.stringify(allowedIps),
        token_ttl: tokenTtl,
        disabled: false,
        created_at: now,
        updated_at: now,
        secret_rotated_at: now,
      });
      await audit.record({ type: 'oauth.client.created', ...auditFrom(caller), target: { type: 'oauth_client', id, name: input.name.trim() }, outcome: 'success', details: { scopes, allowedIps, tokenTtl } });
      const [client] = await present([await row(id)]);
      return { client: client!, clientSecret: secret };
    },

    /** A new secret: the old one fails at once and every token of the client is revoked. */
    async regenerateSecret(caller: Caller, id: string): Promise<{ client: PublicClient; clientSecret: string }> {
      const r = await managed(caller, id);
      const secret = newClientSecret();
      const now = clock.now();
      // A client locked down in an incident works again once its owner has taken the new secret.
      const wasLockedDown = r.locked_down_at !== null && r.locked_down_at !== undefined;
      await db('oauth_clients')
        .where({ id })
        .update({ secret_hash: hashClientSecret(secret), secret_rotated_at: now, updated_at: now, ...(wasLockedDown ? { locked_down_at: null, disabled: false } : {}) });
      forget(id);
      const revoked = await store.revokeClient(id);
      await audit.record({ type: 'oauth.client.secret_regenerated', ...auditFrom(caller), target: { type: 'oauth_client', id, name: r.name }, outcome: 'success', details: { tokensRevoked: revoked, ...(wasLockedDown ? { enabledAfterLockdown: true } : {}) } });
      const [client] = await present([await row(id)]);
      return { client: client!, clientSecret: secret };
    },

    async revokeAllTokens(caller: Caller, id: string): Promise<number> {
      return revokeTokens(caller, await managed(caller, id), 'revoked_by_user');
    },

    async setDisabled(caller: Caller, id: string, disabled: boolean): Promise<PublicClient> {
      const r = await managed(caller, id);
      if (Boolean(r.disabled) !== disabled) {
        await db('oauth_clients').where({ id }).update({ disabled, updated_at: clock.now() });
        forget(id);
        const revoked = disabled ? await store.revokeClient(id) : 0;
        await audit.record({ type: disabled ? 'oauth.client.disabled' : 'oauth.client.enabled', ...auditFrom(caller), target: { type: 'oauth_client', id, name: r.name }, outcome: 'success', details: { tokensRevoked: revoked } });
      }
      const [client] = await present([await row(id)]);
      return client!;
    },

    async remove(caller: Caller, id: string): Promise<void> {
      const r = await managed(caller, id);
      await db('oauth_clients').where({ id }).delete();
      forget(id);
      const revoked = await store.revokeClient(id);
      await audit.record({ type: 'oauth.client.deleted', ...auditFrom(caller), target: { type: 'oauth_client', id, name: r.name }, outcome: 'success', details: { tokensRevoked: revoked } });
    },

    /** Incident response for one account: every token of every client the user owns is revoked. */
    async revokeForOwner(caller: Caller, ownerId: string): Promise<number> {
      let total = 0;
      for (const r of (await db<ClientRow>('oauth_clients').where({ owner_id: ownerId }).select('*')) as ClientRow[]) total += await revokeTokens(caller, r, 'owner_access_revoked');
      return total;
    },
    /** Incident response: every token of every client is revoked. */
    async revokeEverything(caller: Caller): Promise<number> {
      let total = 0;
      for (const r of (await db<ClientRow>('oauth_clients').select('*')) as ClientRow[]) total += await store.revokeClient(r.id);
      await audit.record({ type: 'oauth.token.revoked', ...auditFrom(caller), target: null, outcome: 'success', details: { reason: 'revoke_all', tokens: total } });
      return total;
    },

    /**
     * Lockdown: every client gets a new secret nobody is told (so the old one fails) and is disabled, with every token
     * revoked; each stays so until its owner regenerates the secret, which hands them the new one and enables it.
     */
    async lockDownAll(caller: Caller): Promise<{ clients: number; tokens: number }> {
      const rows = (await db<ClientRow>('oauth_clients').select('*')) as ClientRow[];
      const now = clock.now();
      let tokens = 0;
      for (const r of rows) {
        await db('oauth_clients').where({ id: r.id }).update({ secret_hash: hashClientSecret(newClientSecret()), secret_rotated_at: now, updated_at: now, disabled: true, locked_down_at: now });
        forget(r.id);
        tokens += await store.revokeClient(r.id);
      }
      await audit.record({ type: 'oauth.clients.locked_down', ...auditFrom(caller), target: null, outcome: 'success', details: { clients: rows.length, tokensRevoked: tokens } });
      return { clients: rows.length, tokens };
    },

    /** The client for token issuance and bearer requests (cached for a second); null when it does not exist. */
    async record(id: string): Promise<ClientRecord | null> {
      const now = clock.now();
      const hit = cache.get(id);
      if (hit && now - hit.at < CLIENT_CACHE_MS) return hit.record;
      const r = (await db<ClientRow>('oauth_clients').where({ id }).first()) as ClientRow | undefined;
      const record = r ? toRecord(r) : null;
      if (cache.size >= 10_000) cache.clear();
      cache.set(id, { at: now, record });
      return record;
    },

    ipAllowed: (record: ClientRecord, ip: string): boolean => record.allowedIps.length === 0 || ipInCidrs(ip, record.allowedIps.map(parseCidr)),

    /**
     * Notes a use of the client from an address: last use (written at most once a minute), and the first use from an
     * address it has not used before, audited as oauth.token.new_ip.
     */
    async noteUse(record: ClientRecord, ip: string, how: 'token' | 'api'): Promise<void> {
      const now = clock.now();
      let seen = seenIps.get(record.id);
      if (!seen) {
        const rows = (await db('oauth_client_ips').where({ client_id: record.id }).select('ip')) as Array<{ ip: string }>;
        seen = new Set(rows.map((x) => x.ip));
        if (seenIps.size >= 10_000) seenIps.clear();
        seenIps.set(record.id, seen);
      }
      if (!seen.has(ip)) {
        seen.add(ip);
        await db('oauth_client_ips').insert({ client_id: record.id, ip, first_seen_at: now }).onConflict(['client_id', 'ip']).ignore();
        await audit.record({
          type: 'oauth.token.new_ip',
          actor: { type: 'client', id: record.id, name: record.name },
          ip,
          userAgent: null,
          target: { type: 'oauth_client', id: record.id, name: record.name },
          outcome: 'success',
          details: { ownerId: record.ownerId, via: how, knownAddresses: seen.size - 1 },
        });
      }
      if (now - (touched.get(record.id) ?? 0) >= TOUCH_MS) {
        touched.set(record.id, now);
        await db('oauth_clients').where({ id: record.id }).update({ last_used_at: now, last_used_ip: ip });
      }
    },
    /** Audits a refusal of a known client: a token request or an API call it may not make. */
    async denied(record: ClientRecord, caller: { ip: string; userAgent: string | null }, reason: string, details: Record<string, unknown> = {}): Promise<void> {
      await audit.record({
        type: 'oauth.token.denied',
        actor: { type: 'client', id: record.id, name: record.name },
        ip: caller.ip,
        userAgent: caller.userAgent,
        target: { type: 'oauth_client', id: record.id, name: record.name },
        outcome: 'denied',
        details: { reason, ...details },
      });
    },
    invalidate: (id?: string) => (id === undefined ? cache.clear() : forget(id)),
  };
}
