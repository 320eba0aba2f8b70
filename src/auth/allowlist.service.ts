// The admin IP allowlist: CIDRs from config plus those set in the panel; anyone holding admin must come from one of them.
import type { AuditService } from '../audit/index.ts';
import { readSetting, writeSetting, type Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { ipInCidrs, parseCidr, type Cidr } from '../shared/cidr.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import { auditFrom, type Caller } from './caller.ts';

const KEY = 'admin_allowlist';
const RELOAD_MS = 2000;

export type AllowlistEntry = { cidr: string; source: 'config' | 'panel' };

export type AllowlistService = ReturnType<typeof createAllowlistService>;

export function createAllowlistService(deps: { db: Db; clock: Clock; audit: AuditService; configured: readonly string[] }) {
  const { db, clock, audit } = deps;
  const fromConfig: Cidr[] = deps.configured.map(parseCidr);
  let panel: Cidr[] | null = null;
  let loadedAt = 0;

  async function load(): Promise<Cidr[]> {
    // Re-read every few seconds so `aether allowlist clear` from another process takes effect on a running panel.
    if (panel && clock.now() - loadedAt < RELOAD_MS) return panel;
    panel = ((await readSetting<string[]>(db, KEY)) ?? []).map(parseCidr);
    loadedAt = clock.now();
    return panel;
  }

  async function store(caller: Caller, next: Cidr[], type: string): Promise<void> {
    const before = (await load()).map((c) => c.text);
    await writeSetting(db, KEY, next.map((c) => c.text), clock.now());
    panel = next;
    loadedAt = clock.now();
    await audit.record({ type, ...auditFrom(caller), target: { type: 'settings', id: KEY, name: 'admin IP allowlist' }, outcome: 'success', details: { before, after: next.map((c) => c.text) } });
  }

  return {
    async entries(): Promise<AllowlistEntry[]> {
      return [...fromConfig.map((c) => ({ cidr: c.text, source: 'config' as const })), ...(await load()).map((c) => ({ cidr: c.text, source: 'panel' as const }))];
    },
    /** An empty allowlist allows every address. */
    async isAllowed(ip: string): Promise<boolean> {
      const all = [...fromConfig, ...(await load())];
      return all.length === 0 || ipInCidrs(ip, all);
    },
    /** Replaces the panel's entries; refuses a list that would lock out the caller's own address. */
    async set(caller: Caller, cidrs: string[]): Promise<void> {
      const parsed: Cidr[] = [];
      for (const text of cidrs) {
        try {
          parsed.push(parseCidr(text));
        } catch {
          throw badRequest('invalid_cidr', `"${text}" is not an IPv4/IPv6 address or CIDR range.`, { cidr: text });
        }
      }
      const unique = [...new Map(parsed.map((c) => [c.text, c])).values()];
      const all = [...fromConfig, ...unique];
      // SECURITY: the admin making the change must still be able to reach the panel afterwards.
      if (all.length > 0 && (!caller.ip || !ipInCidrs(caller.ip, all))) {
        throw conflict('allowlist_lockout', `This allowlist would lock you out: your address ${caller.ip ?? '(unknown)'} is not in it. Add it first.`);
      }
      await store(caller, unique, 'settings.allowlist_changed');
    },
    /** The emergency exit (aether allowlist clear): empties the panel's entries. */
    async clear(caller: Caller): Promise<void> {
      await store(caller, [], 'settings.allowlist_cleared');
    },
    configuredCount: () => fromConfig.length,
    invalidate: () => {
      panel = null;
    },
  };
}
