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
    roles,
    scopes,
  };
}
