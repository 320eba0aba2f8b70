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
  twoFactorEnabled: boolean;
  /** A new password must be chosen before anything else (after a lockdown). */
  passwordChangeRequired?: boolean;
};

export type SessionInfo = {
  user: User;
  csrfToken: string;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
  /** The 2FA policy covers the user and 2FA is not set up yet: only the setup calls are allowed. */
  twoFactorSetupRequired: boolean;
};

export type AuthResult = {
  user: User;
  csrfToken: string;
  /** As in SessionInfo; treated as false when absent. */
  twoFactorSetupRequired?: boolean;
};

/** The password was right and a second factor is due before the session is signed in. */
export type PendingSecondFactor = {
  twoFactorRequired: true;
  csrfToken: string;
  expiresAt: string;
};

export type LoginResult = AuthResult | PendingSecondFactor;

/** Answer of the second sign-in step; recoveryCodesLeft is present only when a recovery code was used. */
export type SecondFactorResult = AuthResult & {
  recoveryCodesLeft?: number;
};

/** A code from the authenticator app, or one of the saved recovery codes. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

export type TwoFactorPolicy = 'none' | 'admins' | 'all';

export type TwoFactorStatus = {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  lastRecoveryCodeUse: { at: string; ip: string | null } | null;
  requiredByPolicy: boolean;
  policy: TwoFactorPolicy;
};

export type TwoFactorSetup = {
  secret: string;
  otpauthUrl: string;
  /** A data: URL of a PNG image. */
  qrCode: string;
  expiresAt: string;
};

export type TwoFactorPolicySettings = {
  require2fa: TwoFactorPolicy;
  /** The floor set in the configuration file; the panel setting cannot go below it. */
  configMinimum: TwoFactorPolicy;
  effective: TwoFactorPolicy;
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

/** An OAuth2 client (client credentials grant); `id` is its client_id. */
export type ApiClient = {
  id: string;
  name: string;
  ownerId: string;
  ownerName: string;
  /** Global scope names, or per-server scopes written as `scope:serverId`. */
  scopes: string[];
  /** Addresses or CIDR ranges allowed to get tokens; empty means any address. */
  allowedIps: string[];
  /** Lifetime of an access token, in seconds. */
  tokenTtl: number;
  disabled: boolean;
  createdAt: string;
  secretRotatedAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  activeTokens: number;
};

export type NewApiClientInput = {
  name: string;
  scopes: string[];
  allowedIps?: string[];
  /** Seconds; the server's default applies when absent. */
  tokenTtl?: number;
};

/** Answer of creating a client or regenerating its secret: the only time the secret is ever shown. */
export type ApiClientSecret = {
  client: ApiClient;
  clientId: string;
  clientSecret: string;
};

export type ApiClientsMeta = {
  maxTokenTtl: number;
  defaultTokenTtl: number;
  /** Absolute URL of the OAuth2 token endpoint. */
  tokenUrl: string;
};

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** One event that made a detection rule fire. */
export type DetectionEvidence = {
  /** Milliseconds since the epoch. */
  ts: number;
  source: string;
  event: string;
  ip: string | null;
  user: string | null;
  service: string | null;
  http: { method: string; path: string; status: number; bytes: number; userAgent: string | null } | null;
  fields: Record<string, unknown> | null;
};

export type Detection = {
  id: number;
  rule: string;
  severity: Severity;
  /** What the rule counted by: an address, a user, or a combination. */
  key: string;
  ip: string | null;
  user: string | null;
  ts: string;
  count: number;
  /** The rule runs in simulation: its actions are recorded, not taken. */
  simulated: boolean;
  /** What was done, e.g. "banned until …", "not banned: allowlisted", "ban simulated"; empty when nothing. */
  outcome: string;
  evidence: DetectionEvidence[];
  details: Record<string, unknown>;
};

export type DetectionFilters = {
  rule: string;
  ip: string;
};

export type Ban = {
  id: number;
  /** An address, or the IPv6 /64 an address belongs to. */
  ip: string;
  reason: string;
  rule: string | null;
  source: 'rule' | 'manual';
  createdBy: string | null;
  createdAt: string;
  /** null: until lifted. */
  expiresAt: string | null;
  active: boolean;
  liftedAt: string | null;
  liftedBy: string | null;
  /** Requests refused while the ban was in force. */
  hits: number;
  lastHitAt: string | null;
};

export type NewBanInput = {
  ip: string;
  /** 1 to 525600; null bans until the ban is lifted. */
  durationMinutes: number | null;
  reason: string;
};

export type MonitorRule = {
  id: string;
  kind: 'threshold' | 'leaky' | 'new_value' | 'rate_anomaly' | 'sequence';
  description: string;
  severity: Severity;
  enabled: boolean;
  /** Detections are recorded but their actions (such as bans) are not taken. */
  simulate: boolean;
  actions: string[];
  /** The rule file that defines it, e.g. panel.yml or site.local.yml. */
  file: string;
  /** Detections since the panel started. */
  detections: number;
  lastDetectionAt: string | null;
  /** Keys (addresses, users) the rule tracks right now. */
  keys: number;
};

/** An address a user signed in from, from the audit trail. */
export type KnownIp = {
  ip: string;
  firstSeen: string;
  lastSeen: string;
  logins: number;
};

/** An SSH public key a user registered for SFTP. */
export type SshKey = { id: string; name: string; type: string; bits: number; fingerprint: string; createdAt: string; lastUsedAt: string | null };

/** An SFTP app password (the password itself is shown once, when made). */
export type SftpAppPassword = { id: string; name: string; createdAt: string; lastUsedAt: string | null };
