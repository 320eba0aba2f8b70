// Who must use two-factor authentication: the stricter of the config file's minimum and the panel setting.
import type { AuditService } from '../audit/index.ts';
import { readSetting, writeSetting, type Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { badRequest } from '../shared/errors.ts';
import { auditFrom, type Caller } from './caller.ts';
import type { Grants } from './permissions.ts';

export const TWO_FACTOR_LEVELS = ['none', 'admins', 'all'] as const;
export type TwoFactorLevel = (typeof TWO_FACTOR_LEVELS)[number];

export type TwoFactorPolicySettings = { require2fa: TwoFactorLevel; configMinimum: TwoFactorLevel; effective: TwoFactorLevel };

export type TwoFactorPolicy = ReturnType<typeof createTwoFactorPolicy>;

const KEY = 'require_2fa';
const RELOAD_MS = 2000;

const rank = (level: TwoFactorLevel): number => TWO_FACTOR_LEVELS.indexOf(level);
const stricter = (a: TwoFactorLevel, b: TwoFactorLevel): TwoFactorLevel => (rank(a) >= rank(b) ? a : b);

/** Whether a level covers a user with these grants. "admins" are the holders of the admin scope. */
export const policyCovers = (level: TwoFactorLevel, grants: Grants): boolean => level === 'all' || (level === 'admins' && grants.global.has('admin'));

export function createTwoFactorPolicy(deps: { db: Db; clock: Clock; audit: AuditService; configMinimum: TwoFactorLevel }) {
  const { db, clock, audit, configMinimum } = deps;
  // The panel setting; until an administrator sets one it is the config minimum.
  let panel: TwoFactorLevel | null = null;
  let loadedAt = 0;

  const fresh = () => panel !== null && clock.now() - loadedAt < RELOAD_MS;

  // Re-read every few seconds, so a change made by another process reaches a running panel.
  async function load(): Promise<TwoFactorLevel> {
    if (fresh()) return panel!;
    const stored = await readSetting<unknown>(db, KEY);
    panel = TWO_FACTOR_LEVELS.includes(stored as TwoFactorLevel) ? (stored as TwoFactorLevel) : configMinimum;
    loadedAt = clock.now();
    return panel;
  }

  const describe = (level: TwoFactorLevel): TwoFactorPolicySettings => ({ require2fa: level, configMinimum, effective: stricter(level, configMinimum) });

  return {
    /** The effective level when known without waiting (read within the last two seconds), else undefined. */
    peek(): TwoFactorLevel | undefined {
      return fresh() ? stricter(panel!, configMinimum) : undefined;
    },
    async effective(): Promise<TwoFactorLevel> {
      return stricter(await load(), configMinimum);
    },
    async settings(): Promise<TwoFactorPolicySettings> {
      return describe(await load());
    },
    /** Sets the panel's level; it may not be below the config file's minimum. */
    async set(caller: Caller, level: TwoFactorLevel): Promise<TwoFactorPolicySettings> {
      if (rank(level) < rank(configMinimum)) {
        throw badRequest('below_config_minimum', `The config file requires at least "${configMinimum}"; the panel setting cannot be lower.`, { configMinimum });
      }
      const before = await load();
      await writeSetting(db, KEY, level, clock.now());
      panel = level;
      loadedAt = clock.now();
      await audit.record({
        type: 'settings.two_factor_policy_changed',
        ...auditFrom(caller),
        target: { type: 'settings', id: KEY, name: 'two-factor policy' },
        outcome: 'success',
        details: { before, after: level, configMinimum },
      });
      return describe(level);
    },
  };
}
