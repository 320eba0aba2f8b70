// Types of the /api/v1 resources the UI reads and writes.

export type UserRole = {
  roleId: string;
  roleName: string;
  serverId: string | null;
};

export type User = {
  id: string;
  username: string;
  email: string;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  lastLoginIp: string | null;
  roles: UserRole[];
  scopes: string[];
};

export type SessionInfo = {
  user: User;
  csrfToken: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
};

export type AuthResult = {
  user: User;
  csrfToken: string;
};

export type AccountSession = {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

export type Role = {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  scopes: string[];
};

export type RoleInput = {
  name: string;
  description: string;
  scopes: string[];
};

export type Scope = {
  name: string;
  description: string;
  perServer: boolean;
};

export type RoleAssignment = {
  roleId: string;
  serverId: string | null;
};

export type NewUserInput = {
  username: string;
  email: string;
  password: string;
  roles: RoleAssignment[];
};

export type Page<T> = {
  items: T[];
  nextCursor: string | null;
};

export type AuditOutcome = 'success' | 'failure' | 'denied';

export type AuditEvent = {
  id: string;
  ts: string;
  type: string;
  actor: { type: 'user' | 'client' | 'system'; id: string | null; name: string | null };
  ip: string | null;
  userAgent: string | null;
  target: { type: string | null; id: string | null; name: string | null };
  outcome: AuditOutcome;
  details: Record<string, unknown>;
};

export type AuditFilters = {
  type: string;
  actor: string;
  ip: string;
  from: string;
  to: string;
};

export type AllowlistEntry = {
  cidr: string;
  source: 'config' | 'panel';
};

export type Allowlist = {
  entries: AllowlistEntry[];
  yourIp: string;
};
