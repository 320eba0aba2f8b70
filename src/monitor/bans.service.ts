// IP bans: stored in the database (in force after a restart), held in memory for a check on every request, growing for repeat offenders.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import { insertReturningId, type Db } from '../db/index.ts';
import { addressKey, ipInCidrs, isIp, parseCidr, type Cidr } from '../shared/cidr.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest, conflict, notFound } from '../shared/errors.ts';

type BanRow = {
  id: number;
  ip_key: string;
  reason: string;
  rule: string | null;
  detection_id: number | null;
  source: string;
  created_by: string | null;
  created_at: number | string;
  expires_at: number | string | null;
  lifted_at: number | string | null;
  lifted_by: string | null;
  hits: number;
  last_hit_at: number | string | null;
};

export type Ban = {
  id: number;
  ip: string;
  reason: string;
  rule: string | null;
  source: 'rule' | 'manual';
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  active: boolean;
  liftedAt: string | null;
  liftedBy: string | null;
  hits: number;
  lastHitAt: string | null;
};

export type BanRequest = { ip: string; durationMs: number | null; reason: string; rule?: string; detectionId?: number; growth?: { factor: number; maxMs: number } };

export type BanOutcome = { banned: true; ban: Ban } | { banned: false; reason: 'allowlisted' | 'admin_session' | 'already_banned'; ban?: Ban };

export type BansService = ReturnType<typeof createBansService>;

const RELOAD_MS = 2000;
const HIT_FLUSH_MS = 5000;

export function createBansService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  neverBan: readonly string[];
  /** Addresses admins may work from (the admin IP allowlist): never banned. */
  adminAllowlist: () => Promise<readonly Cidr[]>;
  /** Whether an administrator has a live session from this address. */
  adminSessionFrom: (ipKey: string) => Promise<boolean>;
  /** Called with the addresses banned now whenever that list changes (the export for a host firewall). */
  onChange?: (active: string[]) => void;
  /** Tells the other replicas that a ban was made or lifted (ban-sync.ts). */
  announce?: () => void;
}) {
  const { db, clock, audit } = deps;
  const neverBan = deps.neverBan.map(parseCidr);
  const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

  /** Active bans by address key, with their expiry (Infinity: until lifted). */
  let active = new Map<string, { id: number; expiresAt: number }>();
  let loadedAt = 0;
  const pendingHits = new Map<number, { count: number; last: number }>();

  const present = (r: BanRow): Ban => ({
    id: r.id,
    ip: r.ip_key,
    reason: r.reason,
    rule: r.rule,
    source: r.source === 'manual' ? 'manual' : 'rule',
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    active: r.lifted_at === null && (r.expires_at === null || Number(r.expires_at) > clock.now()),
    liftedAt: iso(r.lifted_at),
    liftedBy: r.lifted_by,
    hits: r.hits,
    lastHitAt: iso(r.last_hit_at),
  });

  let exported = '';
  /** Tells the export about the active list when it differs from what it was last told. */
  function changed(): void {
    if (!deps.onChange) return;
    const list = [...active.keys()].sort();
    const text = list.join('\n');
    if (text === exported) return;
    exported = text;
    deps.onChange(list);
  }

  async function reload(): Promise<void> {
    const now = clock.now();
    const rows = (await db<BanRow>('bans').whereNull('lifted_at').andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))) as BanRow[];
    active = new Map(rows.map((r) => [r.ip_key, { id: r.id, expiresAt: r.expires_at === null ? Infinity : Number(r.expires_at) }]));
    loadedAt = now;
    changed();
  }

  async function flushHits(): Promise<void> {
    const batch = [...pendingHits];
    pendingHits.clear();
    for (const [id, h] of batch) await db('bans').where({ id }).update({ hits: db.raw('hits + ?', [h.count]), last_hit_at: h.last });
  }

  async function row(id: number): Promise<BanRow> {
    const r = (await db<BanRow>('bans').where({ id }).first()) as BanRow | undefined;
    if (!r) throw notFound('Ban');
    return r;
  }

  /** How long a new ban of this address lasts: the base, times factor for each earlier ban of it, up to the maximum. */
  async function durationFor(ipKey: string, base: number | null, growth?: { factor: number; maxMs: number }): Promise<number | null> {
    if (base === null || !growth) return base;
    const earlier = (await db('bans').where({ ip_key: ipKey }).count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Math.min(growth.maxMs, base * growth.factor ** Number(earlier?.n ?? 0));
  }

  return {
    /** Loads the active bans; call at start. */
    load: reload,
    /**
     * Whether requests from this address are refused right now: answered from memory (no waiting), re-read from the
     * database every two seconds so bans made by another process (the CLI) apply too.
     */
    isBanned(ip: string): boolean {
      const now = clock.now();
      if (now - loadedAt >= RELOAD_MS) {
        loadedAt = now;
        reload().catch(() => undefined);
      }
      const key = addressKey(ip);
      const hit = active.get(key);
      if (!hit) return false;
      if (hit.expiresAt <= now) {
        active.delete(key);
        changed();
        return false;
      }
      const h = pendingHits.get(hit.id) ?? { count: 0, last: now };
      h.count += 1;
      h.last = now;
      pendingHits.set(hit.id, h);
      if (pendingHits.size === 1 && h.count === 1) setTimeout(() => void flushHits().catch(() => undefined), HIT_FLUSH_MS).unref();
      return true;
    },

    /** Bans an address (its /64 for IPv6) unless it is allowlisted or, for a rule, an administrator works from it. */
    async ban(caller: Caller, req: BanRequest & { guardAdminSessions: boolean }): Promise<BanOutcome> {
      if (!isIp(req.ip)) throw badRequest('invalid_ip', `"${req.ip}" is not an IP address.`);
      const ipKey = addressKey(req.ip);
      const target = { type: 'ip', id: ipKey, name: ipKey };
      const skip = async (reason: 'allowlisted' | 'admin_session'): Promise<BanOutcome> => {
        await audit.record({ type: 'monitor.ban.skipped', ...auditFrom(caller), target, outcome: 'denied', details: { reason, rule: req.rule ?? null, ip: req.ip } });
        return { banned: false, reason };
      };
      // SECURITY: never ban where administrators work from (allowlist), nor what the host lists as never to ban.
      if (ipInCidrs(req.ip, neverBan) || (await deps.adminAllowlist()).some((c) => ipInCidrs(req.ip, [c]))) return skip('allowlisted');
      if (req.guardAdminSessions && (await deps.adminSessionFrom(ipKey))) return skip('admin_session');
      await reload();
      const existing = active.get(ipKey);
      if (existing) return { banned: false, reason: 'already_banned', ban: present(await row(existing.id)) };
      const durationMs = await durationFor(ipKey, req.durationMs, req.growth);
      const now = clock.now();
      const banId = await insertReturningId(db, 'bans', {
        ip_key: ipKey,
        reason: req.reason.slice(0, 300),
        rule: req.rule ?? null,
        detection_id: req.detectionId ?? null,
        source: req.rule ? 'rule' : 'manual',
        created_by: auditFrom(caller).actor.name ?? null,
        created_at: now,
        expires_at: durationMs === null ? null : now + durationMs,
        hits: 0,
      });
      active.set(ipKey, { id: banId, expiresAt: durationMs === null ? Infinity : now + durationMs });
      changed();
      deps.announce?.();
      await audit.record({ type: 'monitor.ban.created', ...auditFrom(caller), target, outcome: 'success', details: { banId, rule: req.rule ?? null, reason: req.reason, durationSeconds: durationMs === null ? null : Math.round(durationMs / 1000) } });
      return { banned: true, ban: present(await row(banId)) };
    },

    async lift(caller: Caller, id: number): Promise<Ban> {
      const r = await row(id);
      if (r.lifted_at !== null) throw conflict('ban_not_active', 'This ban was already lifted.');
      await db('bans').where({ id }).update({ lifted_at: clock.now(), lifted_by: auditFrom(caller).actor.name ?? null });
      active.delete(r.ip_key);
      changed();
      deps.announce?.();
      await audit.record({ type: 'monitor.ban.lifted', ...auditFrom(caller), target: { type: 'ip', id: r.ip_key, name: r.ip_key }, outcome: 'success', details: { banId: id } });
      return present(await row(id));
    },

    async list(opts: { activeOnly: boolean; limit: number }): Promise<Ban[]> {
      await flushHits();
      const q = db<BanRow>('bans').orderBy('id', 'desc').limit(opts.limit);
      if (opts.activeOnly) q.whereNull('lifted_at').andWhere((w) => w.whereNull('expires_at').orWhere('expires_at', '>', clock.now()));
      return ((await q) as BanRow[]).map(present);
    },
    flushHits,
  };
}
