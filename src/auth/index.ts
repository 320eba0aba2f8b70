// Accounts, passwords, sessions, scopes and roles, login and two-factor authentication, first-run setup and the admin allowlist.
export { createAllowlistService, type AllowlistService } from './allowlist.service.ts';
export { auditActor, auditFrom, systemCaller, type Caller } from './caller.ts';
export { createLoginService, type LoginService } from './login.service.ts';
export { createPasswordHasher, HasherBusyError, type PasswordHasher } from './password.hasher.ts';
export { createPasswordPolicy, type PasswordPolicy } from './password.policy.ts';
export { buildGrants, can, holdsAll, type Actor, type Grants } from './permissions.ts';
export { createRateLimits, type RateLimits } from './rate-limits.ts';
export { createRolesService, type Role, type RolesService } from './roles.service.ts';
export { BUILTIN_ROLES, SCOPES, isScope } from './scopes.ts';
export { createSessionsService, type SessionsService } from './sessions.service.ts';
export { createSetupService, type SetupService } from './setup.service.ts';
export { createTwoFactorPolicy, policyCovers, type TwoFactorLevel, type TwoFactorPolicy } from './two-factor.policy.ts';
export { createTwoFactorService, type TwoFactorService } from './two-factor.service.ts';
export { createUsersService, type UsersService } from './users.service.ts';
export type { PublicUser } from './users.rows.ts';
