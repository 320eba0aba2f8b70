// Incident response: the lockdown and maintenance mode.
export { createLockdownService, type LockdownOptions, type LockdownReport, type LockdownService, type LockdownState, type PasswordReset } from './lockdown.service.ts';
