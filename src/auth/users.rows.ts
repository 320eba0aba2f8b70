// Rows of the users table and the public shape of a user.

export type UserRow = {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  disabled: number | boolean;
  created_at: number | string;
  updated_at: number | string;
  password_changed_at: number | string;
  last_login_at: number | string | null;
  last_login_ip: string | null;
  /** Set by a lockdown: the user must choose a new password before doing anything else. */
  password_reset_required?: number | boolean;
};

export type RoleAssignment = { roleId: string; roleName: string; serverId: string | null };

/** What the API returns for a user: never the password hash. */
export type PublicUser = {
  id: string;
  username: string;
  email: string;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  lastLoginIp: string | null;
  /** Whether the user signs in with a second factor (TOTP). */
  twoFactorEnabled: boolean;
  /** The user must choose a new password before anything else (after a lockdown). */
  passwordChangeRequired: boolean;
  roles: RoleAssignment[];
  scopes: string[];
};

const iso = (ms: number | string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export function toPublicUser(row: UserRow, roles: RoleAssignment[], scopes: string[], twoFactorEnabled: boolean): PublicUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    disabled: Boolean(row.disabled),
    createdAt: iso(row.created_at) as string,
    lastLoginAt: iso(row.last_login_at),
    lastLoginIp: row.last_login_ip,
    twoFactorEnabled,
    passwordChangeRequired: Boolean(row.password_reset_required),
    roles,
    scopes,
  };
}
