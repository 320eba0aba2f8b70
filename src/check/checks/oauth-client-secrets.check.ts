// OAuth2 client secrets protected: stored only as SHA-256 hashes, regenerated within checklist.clientSecretMaxAgeDays,
// and no client holding the admin scope.
import { DAY_MS, days, fail, pass, warn, worst, type Check } from '../check.types.ts';

type ClientRow = { id: string; name: string; owner: string | null; secret_hash: string; scopes: string; disabled: number | boolean; secret_rotated_at: number | string; locked_down_at?: number | string | null };

export const oauthClientSecretsCheck: Check = {
  id: 'oauth-client-secrets',
  title: 'OAuth2 client secrets protected',
  async run({ config, db, now }) {
    const rows = (await db('oauth_clients as c')
      .leftJoin('users as u', 'u.id', 'c.owner_id')
      .select('c.id', 'c.name', 'u.username as owner', 'c.secret_hash', 'c.scopes', 'c.disabled', 'c.secret_rotated_at', 'c.locked_down_at')
      .orderBy('c.name')) as ClientRow[];
    const maxAge = config.checklist.clientSecretMaxAgeDays;
    const active = rows.filter((r) => !r.disabled);
    // SECURITY: a secret column must hold the 64-hex-digit SHA-256 the panel writes; anything else may be a usable secret.
    const unhashed = rows.filter((r) => !/^[0-9a-f]{64}$/.test(r.secret_hash));
    const old = active.filter((r) => now - Number(r.secret_rotated_at) > maxAge * DAY_MS).map((r) => ({ name: r.name, owner: r.owner, ageDays: days(now - Number(r.secret_rotated_at)), rotatedAt: new Date(Number(r.secret_rotated_at)).toISOString() }));
    const admin = active.filter((r) => (JSON.parse(r.scopes) as string[]).includes('admin')).map((r) => r.name);
    const details = { clients: rows.length, active: active.length, unhashed: unhashed.map((r) => r.name), olderThanMaxAge: old, withAdminScope: admin, clientSecretMaxAgeDays: maxAge };
    if (rows.length === 0) return pass('No OAuth2 clients exist, so no client secret can leak.', details);
    const parts: Array<{ status: 'warn' | 'fail'; text: string; fix: string }> = [];
    if (unhashed.length) parts.push({ status: 'fail', text: `the stored secret of ${unhashed.map((r) => r.name).join(', ')} is not a SHA-256 hash`, fix: 'API clients: regenerate the secret of each (the panel stores only its hash); then find out how the column was written' });
    if (old.length) parts.push({ status: 'warn', text: `${old.length} secret(s) older than ${maxAge} days: ${old.map((c) => `${c.name}${c.owner ? ` (${c.owner})` : ''} ${c.ageDays} days`).join(', ')}`, fix: 'API clients → Regenerate secret on each, and update the scripts that use it' });
    if (admin.length) parts.push({ status: 'warn', text: `client(s) with the admin scope: ${admin.join(', ')}`, fix: 'give each client only the scopes it needs (API clients → the client\'s scopes)' });
    const base = `${rows.length} client(s), ${active.length} enabled; every secret stored as a SHA-256 hash`;
    if (!parts.length) return pass(`${base}, each regenerated within ${maxAge} days.`, details);
    const status = worst(parts.map((p) => p.status));
    const reason = `${parts.map((p) => p.text).join('; ')}. (${rows.length} client(s), ${active.length} enabled.)`;
    const fix = parts.map((p) => p.fix).join('; ') + '.';
    return status === 'fail' ? fail(reason, fix, details) : warn(reason, fix, details);
  },
};
