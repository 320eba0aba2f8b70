// The accounts the checklist looks at, read from the database: each user with whether it holds the admin scope
// (through a role assigned globally) and uses two-factor authentication.
import { readSetting, type Db } from '../db/index.ts';

export type Account = {
  id: string;
  username: string;
  disabled: boolean;
  admin: boolean;
  twoFactor: boolean;
  createdAt: number;
  lastLoginAt: number | null;
};

export async function readAccounts(db: Db): Promise<Account[]> {
  const users = (await db('users').select('id', 'username', 'disabled', 'created_at', 'last_login_at').orderBy('username')) as Array<{ id: string; username: string; disabled: number | boolean; created_at: number | string; last_login_at: number | string | null }>;
  const roles = (await db('user_roles as ur').join('roles as r', 'r.id', 'ur.role_id').where('ur.server_id', '*').select('ur.user_id', 'r.scopes')) as Array<{ user_id: string; scopes: string }>;
  const admins = new Set(roles.filter((r) => (JSON.parse(r.scopes) as string[]).includes('admin')).map((r) => r.user_id));
  const totp = new Set(((await db('user_totp').whereNotNull('confirmed_at').select('user_id')) as Array<{ user_id: string }>).map((r) => r.user_id));
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    disabled: Boolean(u.disabled),
    admin: admins.has(u.id),
    twoFactor: totp.has(u.id),
    createdAt: Number(u.created_at),
    lastLoginAt: u.last_login_at === null ? null : Number(u.last_login_at),
  }));
}

/** The effective two-factor requirement: the stricter of the config minimum and the panel setting. */
export async function twoFactorRequirement(db: Db, configMinimum: 'none' | 'admins' | 'all'): Promise<'none' | 'admins' | 'all'> {
  const levels = ['none', 'admins', 'all'] as const;
  const stored = await readSetting<unknown>(db, 'require_2fa');
  const panel = levels.includes(stored as (typeof levels)[number]) ? (stored as (typeof levels)[number]) : configMinimum;
  return levels[Math.max(levels.indexOf(panel), levels.indexOf(configMinimum))]!;
}
