// oidc-provider's storage in our database (knex): every artifact under the SHA-256 of its id, so no token value is ever stored.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { digest } from '../shared/ids.ts';

type ArtifactRow = { model: string; id_hash: string; client_id: string | null; grant_id: string | null; payload: string; expires_at: number | string | null; consumed_at: number | string | null };

/** A live access token of the client-credentials grant, as bearer authentication needs it. */
export type StoredToken = { clientId: string; scope: string[]; expiresAt: number; issuedAt: number };

const TOKEN_MODEL = 'ClientCredentials';
const TOKEN_CACHE_MS = 1000;

export type ArtifactStore = ReturnType<typeof createArtifactStore>;

export function createArtifactStore(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  // SECURITY: a token read from the database is reused for at most TOKEN_CACHE_MS; every revocation made by this
  // process drops it at once. Expiry is checked on every use either way.
  const tokens = new Map<string, { at: number; token: StoredToken | null }>();
  const forgetClient = (clientId: string) => {
    for (const [hash, entry] of tokens) if (entry.token?.clientId === clientId) tokens.delete(hash);
  };

  const live = (row: ArtifactRow | undefined, now: number): row is ArtifactRow => row !== undefined && (row.expires_at === null || Number(row.expires_at) > now);

  async function loadToken(hash: string, now: number): Promise<StoredToken | null> {
    const row = (await db<ArtifactRow>('oauth_artifacts').where({ model: TOKEN_MODEL, id_hash: hash }).first()) as ArtifactRow | undefined;
    let token: StoredToken | null = null;
    if (live(row, now) && row.client_id) {
      const payload = JSON.parse(row.payload) as { scope?: string; iat?: number; exp?: number };
      const expiresAt = Math.min(row.expires_at === null ? Infinity : Number(row.expires_at), payload.exp ? payload.exp * 1000 : Infinity);
      token = { clientId: row.client_id, scope: payload.scope ? payload.scope.split(' ') : [], expiresAt, issuedAt: (payload.iat ?? 0) * 1000 };
    }
    if (tokens.size >= 10_000) tokens.clear();
    tokens.set(hash, { at: now, token });
    return token;
  }

  function adapter(model: string): Adapter {
    const where = (id: string) => ({ model, id_hash: digest(id) });
    return {
      async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
        // The id is the token value itself (jti): it is kept out of the stored payload and put back on find.
        const { jti, ...rest } = payload as AdapterPayload & { jti?: string };
        const stored = jti === id ? rest : payload;
        const row = {
          ...where(id),
          client_id: typeof payload.clientId === 'string' ? payload.clientId : null,
          grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
          payload: JSON.stringify(stored),
          expires_at: expiresIn ? clock.now() + expiresIn * 1000 : null,
          consumed_at: null,
        };
        await db('oauth_artifacts').insert(row).onConflict(['model', 'id_hash']).merge();
        // A sign-in session is also looked up by the uid its cookie carries: kept as a second row pointing at the id.
        if (typeof payload.uid === 'string') {
          const byUid = { ...row, model: `${model}:uid`, id_hash: digest(payload.uid), payload: JSON.stringify({ id }) };
          await db('oauth_artifacts').insert(byUid).onConflict(['model', 'id_hash']).merge();
        }
      },
      async find(id: string) {
        const row = (await db<ArtifactRow>('oauth_artifacts').where(where(id)).first()) as ArtifactRow | undefined;
        if (!live(row, clock.now())) return undefined;
        const payload = JSON.parse(row.payload) as AdapterPayload;
        return { ...payload, jti: id, ...(row.consumed_at !== null ? { consumed: Math.floor(Number(row.consumed_at) / 1000) } : {}) };
      },
      async findByUid(uid: string) {
        const row = (await db<ArtifactRow>('oauth_artifacts').where({ model: `${model}:uid`, id_hash: digest(uid) }).first()) as ArtifactRow | undefined;
        if (!live(row, clock.now())) return undefined;
        return this.find((JSON.parse(row.payload) as { id: string }).id);
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id: string) {
        await db('oauth_artifacts').where(where(id)).update({ consumed_at: clock.now() });
      },
      async destroy(id: string) {
        tokens.delete(digest(id));
        const row = (await db<ArtifactRow>('oauth_artifacts').where(where(id)).first()) as ArtifactRow | undefined;
        const uid = row ? (JSON.parse(row.payload) as { uid?: unknown }).uid : undefined;
        if (typeof uid === 'string') await db('oauth_artifacts').where({ model: `${model}:uid`, id_hash: digest(uid) }).delete();
        await db('oauth_artifacts').where(where(id)).delete();
      },
      async revokeByGrantId(grantId: string) {
        tokens.clear();
        await db('oauth_artifacts').where({ grant_id: grantId }).delete();
      },
    };
  }

  return {
    adapter,
    /** The live client-credentials token with this value, or null (unknown, revoked or expired). */
    async findToken(value: string): Promise<StoredToken | null> {
      const hash = digest(value);
      const now = clock.now();
      const hit = tokens.get(hash);
      const token = hit && now - hit.at < TOKEN_CACHE_MS ? hit.token : await loadToken(hash, now);
      return token && token.expiresAt > now ? token : null;
    },
    /** Deletes every token of a client; returns how many were live. */
    async revokeClient(clientId: string): Promise<number> {
      forgetClient(clientId);
      const now = clock.now();
      const counted = (await db('oauth_artifacts').where({ client_id: clientId }).andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now)).count({ n: '*' }).first()) as { n: number | string } | undefined;
      await db('oauth_artifacts').where({ client_id: clientId }).delete();
      return Number(counted?.n ?? 0);
    },
    async activeTokens(clientIds: string[]): Promise<Map<string, number>> {
      if (clientIds.length === 0) return new Map();
      const rows = (await db('oauth_artifacts')
        .where({ model: TOKEN_MODEL })
        .whereIn('client_id', clientIds)
        .andWhere('expires_at', '>', clock.now())
        .groupBy('client_id')
        .select('client_id')
        .count({ n: '*' })) as Array<{ client_id: string; n: number | string }>;
      return new Map(rows.map((r) => [r.client_id, Number(r.n)]));
    },
    async purgeExpired(): Promise<number> {
      return db('oauth_artifacts').where('expires_at', '<=', clock.now()).delete();
    },
  };
}
