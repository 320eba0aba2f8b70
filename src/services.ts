// Builds every capability service from config, database and clock: the one place the service graph is wired.
import { join } from 'node:path';
import { createAuditService, createEventBus, createFileSink, nullSink, type AuditSink, type EventBus } from './audit/index.ts';
import {
  createAllowlistService,
  createLoginService,
  createPasswordHasher,
  createPasswordPolicy,
  createRateLimits,
  createRolesService,
  createSessionsService,
  createSetupService,
  createUsersService,
} from './auth/index.ts';
import type { LoadedConfig } from './config/index.ts';
import type { Db } from './db/index.ts';
import type { Services } from './http/services.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { loadOrCreateKey } from './shared/key-file.ts';
import type { Logger } from './shared/logger.ts';

export type CoreServices = Services & { bus: EventBus; sink: AuditSink };

export function createServices(deps: { config: LoadedConfig; db: Db; logger: Logger; clock?: Clock; auditLogFile?: boolean }): CoreServices {
  const { config, db, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const bus = createEventBus((err) => logger.error({ err }, 'event bus subscriber failed'));
  const sink = deps.auditLogFile === false ? nullSink : createFileSink(config.paths.logDir);
  const audit = createAuditService({ db, clock, sink, bus, logger: logger.child({ module: 'audit' }) });
  const hasher = createPasswordHasher(config.passwordHashing);
  const policy = createPasswordPolicy(config.passwordPolicy);
  // A role's scopes are part of every cached principal holding it.
  const roles = createRolesService({ db, clock, audit, onChange: () => users.invalidate() });
  const sessions = createSessionsService({
    db,
    clock,
    audit,
    idleTimeoutMs: config.session.idleTimeoutMinutes * 60_000,
    absoluteTimeoutMs: config.session.absoluteTimeoutHours * 3_600_000,
  });
  const users = createUsersService({
    db,
    clock,
    audit,
    roles,
    hasher,
    policy,
    revokeSessions: (userId, _reason, exceptId) => sessions.revokeAllForUser(userId, exceptId),
    rotateSessions: (userId) => sessions.markRotate(userId),
  });
  const limits = createRateLimits(config.rateLimits);
  const allowlist = createAllowlistService({ db, clock, audit, configured: config.security.adminAllowlist });
  const login = createLoginService({ users, hasher, limits, allowlist, audit });
  const setup = createSetupService({ db, clock, audit, users, roles });
  const csrfKey = loadOrCreateKey(join(config.paths.dataDir, 'keys'), 'csrf');
  return { db, clock, audit, users, roles, sessions, login, setup, allowlist, limits, hasher, csrfKey, bus, sink };
}
