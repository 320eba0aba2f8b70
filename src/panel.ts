// The panel as one object: config -> database -> services -> HTTP server, with start and stop.
import { existsSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from './config/index.ts';
import { createDb, migrateLatest, type Db } from './db/index.ts';
import { withStartupLock } from './db/cluster-lock.ts';
import { createApp } from './http/app.ts';
import { createConsoleSockets } from './http/console-socket.ts';
import { createLogSources, type LogSources } from './monitor/sources.ts';
import { createServices, type CoreServices } from './services.ts';
import { createSftpServer, type SftpServer } from './sftp/sftp.server.ts';
import { createGatusSync, type GatusSync } from './gatus/gatus.service.ts';
import type { Clock } from './shared/clock.ts';
import type { Logger } from './shared/logger.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export { VERSION } from './version.ts';
import { VERSION } from './version.ts';
export const UI_ROOT = fileURLToPath(new URL('../dist/ui', import.meta.url));

export type Panel = {
  config: LoadedConfig;
  db: Db;
  services: CoreServices;
  server: Server;
  /** The log files the monitor follows (monitor.sources). */
  logSources: LogSources;
  /** SFTP into servers' files (null when sftp.enabled is false). */
  sftp: SftpServer | null;
  /** Gatus's configuration file, kept in step with the servers. */
  gatus: GatusSync;
  /** Listens on the configured host and port (and SFTP on its own); resolves with the actual HTTP port. */
  listen(): Promise<number>;
  /** The port SFTP listens on, once listening (null: off). */
  sftpPort(): number | null;
  stop(): Promise<void>;
};

/**
 * Where this host's read positions in the log files it follows are kept: one file per host, as replicas on several
 * hosts share the data directory and each follows its own host's logs. A file of the name used before is taken over.
 */
function positionsFile(dataDir: string): string {
  const file = join(dataDir, `monitor-positions.${hostname()}.json`);
  const older = join(dataDir, 'monitor-positions.json');
  if (!existsSync(file) && existsSync(older)) renameSync(older, file);
  return file;
}

export async function createPanel(opts: { config: LoadedConfig; logger: Logger; clock?: Clock; uiRoot?: string }): Promise<Panel> {
  const { config, logger } = opts;
  const db = createDb(config.database, config.paths.database);
  const services = await withStartupLock(db, async () => {
    await migrateLatest(db);
    const made = createServices({ config, db, logger, ...(opts.clock ? { clock: opts.clock } : {}) });
    await made.roles.ensureBuiltins();
    await made.nodes.ensureLocal();
    return made;
  });
  await services.bans.load();
  // Servers kept running while the panel was down; their state is read back from Docker (never fatal at start).
  await services.servers.reconcile().catch((err: unknown) => logger.warn({ err }, 'reading the servers\' state from Docker failed'));
  services.servers.watchDisks(config.servers.diskCheckSeconds * 1000);
  const foreign = await services.twoFactor.foreignKeyCount();
  if (foreign > 0) {
    // The users can still sign in with recovery codes; an administrator can reset their 2FA.
    logger.error({ accounts: foreign }, 'TOTP secrets were encrypted with another key than the one loaded (keys/totp.key or AETHER_TOTP_KEY): those accounts cannot use their authenticator codes until that key is restored');
  }
  const app = createApp(services, logger.child({ module: 'http' }), {
    trustedProxies: config.http.trustedProxies,
    publicUrl: config.http.publicUrl,
    bodyLimitBytes: config.http.bodyLimitBytes,
    sameSite: config.session.sameSite,
    uiRoot: opts.uiRoot ?? UI_ROOT,
    version: VERSION,
  });
  const server = createServer(app.callback());
  const consoles = createConsoleSockets(services, { trustedProxies: config.http.trustedProxies, publicUrl: config.http.publicUrl, logger: logger.child({ module: 'console' }), audit: services.audit });
  server.on('upgrade', (req, socket, head) => {
    // Only the server consoles speak WebSocket; any other upgrade is refused.
    if (!consoles.handle(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // SECURITY: slow-loris and idle connections cannot hold sockets for ever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;

  const sftp = config.sftp.enabled
    ? createSftpServer({
        host: config.sftp.host,
        port: config.sftp.port,
        recheckMs: config.sftp.recheckSeconds * 1000,
        keysDir: join(config.paths.dataDir, 'keys'),
        users: services.users,
        hasher: services.hasher,
        credentials: services.sftpCredentials,
        servers: services.servers,
        files: services.files,
        bans: services.bans,
        limits: services.limits,
        audit: services.audit,
        bus: services.bus,
        lockdown: services.lockdown,
        logger: logger.child({ module: 'sftp' }),
      })
    : null;
  let sftpPort: number | null = null;
  if (sftp) services.sftpEndpoint.hostKeyFingerprint = sftp.hostKeyFingerprint;

  const logSources = createLogSources({
    sources: config.monitor.enabled ? config.monitor.sources : [],
    positionsFile: positionsFile(config.paths.dataDir),
    pollMs: config.monitor.pollIntervalMs,
    feed: (ev) => services.monitor.feed(ev),
    logger: logger.child({ module: 'monitor' }),
  });
  logSources.start();
  // Notifications written before a restart (or while a mail server was down) are sent from here on.
  services.outbox.start();
  // Scheduled backups and restore tests (each minute it checks what is due).
  services.backups.start();
  // Gatus's configuration follows the servers: a start, stop, crash or deletion rewrites it (when it changes).
  const gatus = createGatusSync({
    config,
    db,
    audit: services.audit,
    logger: logger.child({ module: 'gatus' }),
    sftp: () => services.sftpEndpoint,
    access: services.gatus.access,
    issuer: services.gatus.issuer,
  });
  const unAccess = services.gatus.access.onChange(() => void gatus.sync().catch(() => undefined));
  const unState = services.servers.onState(() => void gatus.sync().catch(() => undefined));
  const unBus = services.bus.subscribe((e) => {
    if (/^server\.(created|deleted|suspended|unsuspended)$/.test(e.type)) void gatus.sync().catch(() => undefined);
  });
  if (config.resources.enabled) await services.resources.start();

  // Expired bans leave the in-memory list (and the export file) within seconds, requests or not.
  const banRefresh = setInterval(() => {
    services.bans.load().catch((err: unknown) => logger.warn({ err }, 'reloading bans failed'));
  }, 5000);
  banRefresh.unref();

  const purge = setInterval(() => {
    services.sessions.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'session purge failed'));
    services.oauth.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'expired OAuth2 token purge failed'));
    services.alerts.purge(config.alerts.retentionDays * 86_400_000).catch((err: unknown) => logger.warn({ err }, 'alert purge failed'));
  }, 60_000);
  purge.unref();

  return {
    config,
    db,
    services,
    server,
    logSources,
    sftp,
    gatus,
    sftpPort: () => sftpPort,
    async listen() {
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
      if (sftp) sftpPort = services.sftpEndpoint.port = await sftp.listen();
      gatus.start();
      return port;
    },
    async stop() {
      clearInterval(purge);
      clearInterval(banRefresh);
      logSources.stop();
      await services.monitor.stop();
      await services.monitor.settled();
      await services.outbox.stop();
      await services.backups.stop();
      unState();
      unBus();
      unAccess();
      await gatus.stop();
      await services.resources.stop();
      consoles.close();
      await sftp?.close();
      services.servers.stop();
      services.nodes.stop();
      // Work already under way ends before the database closes: a node's change audited, the alert it raises.
      await services.servers.nodeChangesHandled();
      await services.alertsFromEventsDone();
      await services.bans.flushHits();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.sink.close();
      services.stopShared();
      services.redis?.disconnect();
      await db.destroy();
    },
  };
}
