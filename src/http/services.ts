// The services the HTTP routes call, gathered in one bag so route files stay thin.
import type { AllowlistService } from '../auth/allowlist.service.ts';
import type { AuditService } from '../audit/index.ts';
import type { LoginService } from '../auth/login.service.ts';
import type { PasswordHasher } from '../auth/password.hasher.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import type { RolesService } from '../auth/roles.service.ts';
import type { SessionsService } from '../auth/sessions.service.ts';
import type { SetupService } from '../auth/setup.service.ts';
import type { TwoFactorPolicy } from '../auth/two-factor.policy.ts';
import type { TwoFactorService } from '../auth/two-factor.service.ts';
import type { UsersService } from '../auth/users.service.ts';
import type { Db } from '../db/index.ts';
import type { BansService, MonitorService } from '../monitor/index.ts';
import type { OAuth } from '../oauth/index.ts';
import type { Clock } from '../shared/clock.ts';

export type Services = {
  db: Db;
  clock: Clock;
  audit: AuditService;
  users: UsersService;
  roles: RolesService;
  sessions: SessionsService;
  login: LoginService;
  setup: SetupService;
  allowlist: AllowlistService;
  limits: RateLimits;
  hasher: PasswordHasher;
  twoFactor: TwoFactorService;
  twoFactorPolicy: TwoFactorPolicy;
  oauth: OAuth;
  bans: BansService;
  monitor: MonitorService;
  csrfKey: Buffer;
};
