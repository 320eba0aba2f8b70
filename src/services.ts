// Builds every capability service from config, database and clock: the one place the service graph is wired.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
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
  createTwoFactorPolicy,
  createTwoFactorService,
  createUsersService,
} from './auth/index.ts';
import { auditEventAlert, auditEventResolves, createAlerting, detectionAlert, type AlertChange } from './alerts/index.ts';
import { Redis } from 'ioredis';
import { ConfigError, type LoadedConfig } from './config/index.ts';
import type { Db } from './db/index.ts';
import type { Services } from './http/services.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createBansService, createMonitorService, exportBans, loadRules, SHIPPED_RULES_DIR } from './monitor/index.ts';
import { createOAuth } from './oauth/index.ts';
import { createSftpCredentials } from './auth/sftp-credentials.service.ts';
import { createFilesService } from './files/index.ts';
import { createBackupService } from './backup/index.ts';
import { createChecklistService, createHostProbe } from './check/index.ts';
import { createLockdownService } from './incident/index.ts';
import { createGatusReceiver, createStatusPageAccess } from './gatus/index.ts';
import { VERSION } from './version.ts';
import { createResourcesService, loadResourceRules, SHIPPED_RESOURCE_RULES_DIR } from './resources/index.ts';
import { createConsoleTickets, createNodesService, createServersService, createTemplatesService } from './servers/index.ts';
import { addressKey, parseCidr } from './shared/cidr.ts';
import { loadOrCreateKey } from './shared/key-file.ts';
import { createReplicaChannel } from './shared/replica-channel.ts';
import { createSecretBox } from './shared/secret-box.ts';
import type { Logger } from './shared/logger.ts';

export type CoreServices = Services & {
  bus: EventBus;
  sink: AuditSink;
  /** The shared Redis of the replicas (redis.url), closed with the panel. */
  redis: Redis | null;
  /** Ends the connection that hears other replicas' changes. */
  stopShared: () => void;
  /** Settles once the alerts that recorded events raise or resolve are written (the panel stops after them). */
  alertsFromEventsDone: () => Promise<void>;
};

export function createServices(deps: {
  config: LoadedConfig;
  db: Db;
  logger: Logger;
  clock?: Clock;
  auditLogFile?: boolean;
  backupPassphrase?: string | null;
  /** A command-line run is no replica: it never evaluates the other replicas' events. */
  command?: boolean;
}): CoreServices {
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
  // Several replicas count together in one Redis; a command Redis cannot take at once fails over to local counters.
  const redis = config.redis.url ? new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000 }) : null;
  redis?.on('error', (err: Error) => logger.warn({ err: { message: err.message } }, 'redis'));
  const limits = createRateLimits(config.rateLimits, redis ? { redis, prefix: config.redis.keyPrefix } : null);
  // This process among the replicas: its name in the evaluator lease and on the channel they tell each other changes on.
  const instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const replicas = redis ? createReplicaChannel({ redis, prefix: config.redis.keyPrefix, instance, logger }) : null;
  const allowlist = createAllowlistService({ db, clock, audit, configured: config.security.adminAllowlist });
  // Maintenance mode is the lockdown's (made below, once OAuth2 exists); a login asks it when it runs.
  const login = createLoginService({ users, hasher, limits, allowlist, audit, maintenance: () => lockdown.maintenance() });
  const setup = createSetupService({ db, clock, audit, users, roles });
  const keysDir = join(config.paths.dataDir, 'keys');
  const csrfKey = loadOrCreateKey(keysDir, 'csrf');
  // SECURITY: TOTP secrets are encrypted with a key that never goes into the database (a backup of the database alone
  // does not reveal them).
  const totpKey = config.security.totpEncryptionKey ? Buffer.from(config.security.totpEncryptionKey, 'base64') : loadOrCreateKey(keysDir, 'totp');
  const twoFactor = createTwoFactorService({
    db,
    clock,
    audit,
    box: createSecretBox(totpKey.subarray(0, 32)),
    limits,
    logger: logger.child({ module: '2fa' }),
    issuer: config.security.totpIssuer,
    onChange: (userId) => users.invalidate(userId),
  });
  const twoFactorPolicy = createTwoFactorPolicy({ db, clock, audit, configMinimum: config.security.require2fa });
  // The issuer names the panel in introspection answers: the public URL, else the listening address (a wildcard
  // address as localhost, an IPv6 one in brackets).
  const host = ['0.0.0.0', '::'].includes(config.http.host) ? 'localhost' : config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const origin = config.http.publicUrl ? new URL(config.http.publicUrl).origin : `http://${host}:${config.http.port}`;
  const statusPageAccess = createStatusPageAccess({
    db,
    clock,
    audit,
    configured: config.gatus.access,
    statusPageUrl: config.gatus.statusPageUrl,
    keysDir,
    env: process.env,
  });
  const oauth = createOAuth({
    db,
    clock,
    audit,
    users,
    limits,
    logger: logger.child({ module: 'oauth' }),
    keysDir,
    issuer: `${origin}/oauth2`,
    defaultTokenTtl: config.oauth.defaultTokenTtlSeconds,
    maxTokenTtl: config.oauth.maxTokenTtlSeconds,
    statusPage: { enabled: async () => (await statusPageAccess.current()).kind === 'panel', redirectUri: statusPageAccess.redirectUri, secret: statusPageAccess.secret },
  });
  const bans = createBansService({
    db,
    clock,
    audit,
    neverBan: config.monitor.neverBan,
    adminAllowlist: async () => (await allowlist.entries()).map((e) => parseCidr(e.cidr)),
    // SECURITY: a rule never bans the address an administrator is signed in from (a shared office NAT, a mistake).
    ...(config.monitor.banExportFile ? { onChange: exportBans(config.monitor.banExportFile, logger) } : {}),
    announce: () => replicas?.publish('bans', null),
    adminSessionFrom: async (ipKey) => {
      const rows = (await db('sessions').whereNotNull('user_id').andWhere('expires_at', '>', clock.now()).select('user_id', 'ip')) as Array<{ user_id: string; ip: string | null }>;
      for (const r of rows) if (r.ip && addressKey(r.ip) === ipKey && (await users.grantsOf(r.user_id)).global.has('admin')) return true;
      return false;
    },
  });
  replicas?.subscribe('bans', () => {
    bans.load().catch((err: unknown) => logger.warn({ err }, 'reloading bans failed'));
  });
  // A bad rule file stops start-up with its file, line and reason (RuleLoadError).
  const rules = config.monitor.enabled ? loadRules(config.monitor.rulesDir ?? SHIPPED_RULES_DIR) : [];
  // SECURITY: channel configs hold SMTP passwords, signing secrets and webhook URLs with tokens: encrypted with a key file.
  const alerting = createAlerting({
    db,
    clock,
    audit,
    ...(replicas ? { announce: (change: AlertChange) => replicas.publish('alerts', change) } : {}),
    logger: logger.child({ module: 'alerts' }),
    box: createSecretBox(loadOrCreateKey(keysDir, 'alerts').subarray(0, 32)),
    publicUrl: config.http.publicUrl ?? null,
    outbox: {
      retryBaseMs: config.alerts.retryBaseSeconds * 1000,
      retryMaxMs: config.alerts.retryMaxSeconds * 1000,
      expireMs: config.alerts.expireHours * 3_600_000,
      pollMs: config.alerts.pollSeconds * 1000,
      sendTimeoutMs: config.alerts.sendTimeoutSeconds * 1000,
    },
    responders: {
      ban: (caller, req) => bans.ban(caller, req),
      findUser: async (name) => {
        const row = await users.findForLogin(name);
        return row ? { id: row.id, username: row.username, disabled: Boolean(row.disabled) } : null;
      },
      disableUser: async (caller, id) => {
        await users.update(caller, id, { disabled: true });
      },
      signOutEverywhere: (caller, id) => users.signOutEverywhere(caller, id),
      revokeClientTokens: (caller, ownerId) => oauth.clients.revokeForOwner(caller, ownerId),
    },
  });
  replicas?.subscribe('alerts', (change) => alerting.alerts.hear(change as AlertChange));
  // Events that are alerts by themselves (a crashed server, a failed backup), as they are recorded.
  const alertWork = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    alertWork.add(work);
    void work.finally(() => alertWork.delete(work));
  };
  bus.subscribe((event) => {
    const alert = auditEventAlert(event);
    if (alert) track(alerting.alerts.raise(alert).catch((err: unknown) => logger.error({ err, type: event.type }, 'raising an alert failed')));
    const resolves = auditEventResolves(event);
    if (resolves) track(alerting.alerts.resolveByKey(resolves, `Resolved by ${event.type}.`).catch((err: unknown) => logger.error({ err, type: event.type }, 'resolving an alert failed')));
  });
  const monitor = createMonitorService({
    db,
    clock,
    audit,
    bus,
    bans,
    rules,
    logger: logger.child({ module: 'monitor' }),
    shared: redis && !deps.command ? { redis, prefix: config.redis.keyPrefix, instance } : null,
    onAlert: async (d, stored) => {
      await alerting.alerts.raise(detectionAlert(d, stored));
    },
  });
  // SECURITY: remote nodes' TLS and SSH keys are encrypted with a key file, as channel secrets are.
  const nodes = createNodesService({
    db,
    clock,
    audit,
    box: createSecretBox(loadOrCreateKey(keysDir, 'nodes').subarray(0, 32)),
    local: { socketPath: config.servers.dockerSocket, publicIp: config.servers.publicIp, portMin: config.servers.portRange.min, portMax: config.servers.portRange.max },
  });
  const templates = createTemplatesService({ db, clock, audit });
  const servers = createServersService({
    db,
    clock,
    audit,
    logger: logger.child({ module: 'servers' }),
    nodes,
    templates,
    dataRoot: config.servers.dataDir ?? join(config.paths.dataDir, 'servers'),
    networkPool: config.servers.networkPool,
    maxLimits: config.servers.maxLimits,
    restartBaseMs: config.servers.restartBaseSeconds * 1000,
    restartMaxMs: config.servers.restartMaxSeconds * 1000,
  });
  // A bad resource rule stops start-up with its file, line and reason (RuleLoadError).
  const resources = createResourcesService({
    db,
    clock,
    logger: logger.child({ module: 'resources' }),
    intervalMs: config.resources.intervalSeconds * 1000,
    rules: config.resources.enabled ? loadResourceRules(config.resources.rulesDir ?? SHIPPED_RESOURCE_RULES_DIR) : [],
    alerts: {
      raise: async (input) => {
        await alerting.alerts.raise(input);
      },
      resolve: async (key, note) => {
        await alerting.alerts.resolveByKey(key, note);
      },
    },
    servers,
  });
  const files = createFilesService({ servers, audit, limits: config.files });
  const sftpCredentials = createSftpCredentials({ db, clock, audit });
  const lockdown = createLockdownService({ db, clock, audit, users, sessions, clients: oauth.clients, mailer: alerting.channels });
  const backups = createBackupService({
    config,
    db,
    clock,
    audit,
    logger: logger.child({ module: 'backup' }),
    // SECURITY: the passphrase comes from the environment only, never from a file the backup itself holds.
    passphrase: deps.backupPassphrase !== undefined ? deps.backupPassphrase : process.env.AETHER_BACKUP_PASSPHRASE || null,
    panelVersion: VERSION,
    servers: {
      all: async () => (await db('servers').select('id', 'name', 'short_id as shortId').orderBy('name')) as Array<{ id: string; name: string; shortId: string }>,
      files: (id) => files.fsOf(id),
    },
  });
  const checklist = createChecklistService({
    config,
    db,
    clock,
    probe: createHostProbe({ commandTimeoutMs: config.checklist.commandTimeoutSeconds * 1000, networkTimeoutMs: config.checklist.networkTimeoutSeconds * 1000 }),
    version: VERSION,
    monitorRules: () => rules.filter((r) => r.enabled).length,
    backupEncryption: () => backups.configured(),
  });
  return {
    db,
    redis,
    stopShared: () => replicas?.stop(),
    alertsFromEventsDone: async () => {
      await Promise.allSettled([...alertWork]);
    },
    clock,
    audit,
    users,
    roles,
    sessions,
    login,
    setup,
    allowlist,
    limits,
    hasher,
    twoFactor,
    twoFactorPolicy,
    oauth,
    bans,
    monitor,
    alerts: alerting.alerts,
    channels: alerting.channels,
    outbox: alerting.outbox,
    responder: alerting.responder,
    resources,
    nodes,
    templates,
    servers,
    files,
    sftpCredentials,
    backups,
    lockdown,
    checklist,
    // The token Gatus's custom alerts are sent with (given to Gatus as AETHER_GATUS_TOKEN): kept with the panel's keys,
    // or, where Gatus runs in a container of its own (the compose file), the one both are given in their environment.
    gatus: {
      receiver: createGatusReceiver({ alerts: alerting.alerts, apiUrl: config.gatus.apiUrl }),
      alertToken: gatusAlertToken(keysDir, process.env),
      apiUrl: config.gatus.apiUrl,
      statusPageUrl: config.gatus.statusPageUrl,
      sftpEnabled: config.sftp.enabled,
      access: statusPageAccess,
      issuer: `${origin}/oauth2`,
      httpsUrl: config.http.publicUrl?.startsWith('https://') ? config.http.publicUrl : null,
    },
    sftpEndpoint: { enabled: config.sftp.enabled, host: config.http.publicUrl ? new URL(config.http.publicUrl).hostname : null, port: null, hostKeyFingerprint: null },
    consoleTickets: createConsoleTickets({ db, clock }),
    csrfKey,
    bus,
    sink,
  };
}

/** Gatus's alert token: AETHER_GATUS_TOKEN when set (at least 32 characters), else the key file made on first start. */
export function gatusAlertToken(keysDir: string, env: NodeJS.ProcessEnv): string {
  const given = env.AETHER_GATUS_TOKEN;
  if (given === undefined || given === '') return loadOrCreateKey(keysDir, 'gatus-alerts').toString('base64url');
  if (given.length < 32 || /\s/.test(given)) throw new ConfigError('AETHER_GATUS_TOKEN: must be at least 32 characters without spaces (e.g. openssl rand -hex 32)');
  return given;
}
