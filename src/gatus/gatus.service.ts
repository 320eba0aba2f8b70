// Keeps Gatus's configuration file in step with the panel: written at start, again whenever a server starts, stops or
// goes away (and every minute, for anything else), only when its text changes. A file Gatus would refuse is never
// written; the reason is logged and audited.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AuditService } from '../audit/index.ts';
import type { LoadedConfig } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import { gatusConfig, renderGatusConfig, writeGatusConfig, type GatusInputs } from './config.ts';
import { STATUS_PAGE_CLIENT_ID, STATUS_PAGE_SECRET_ENV, type StatusPageAccess, type StatusPageAccessService } from './status-access.ts';

/** The status page's access as Gatus's security section: sign-in through the panel is OpenID Connect with the panel. */
function gatusAccess(access: StatusPageAccess, redirectUri: string | null, issuer: string): GatusInputs['access'] {
  if (access.kind !== 'panel') return access;
  // Refused when chosen without gatus.statusPageUrl; one set in config.json alone is caught here.
  if (!redirectUri) throw new Error('the status page behind the panel\'s sign-in needs gatus.statusPageUrl');
  return { kind: 'oidc', issuerUrl: issuer, redirectUrl: redirectUri, clientId: STATUS_PAGE_CLIENT_ID, clientSecretEnv: STATUS_PAGE_SECRET_ENV };
}

const TOKEN_ENV = 'AETHER_GATUS_TOKEN';
const EVERY_MS = 60_000;

export type GatusSync = ReturnType<typeof createGatusSync>;

export function createGatusSync(deps: {
  config: LoadedConfig;
  db: Db;
  audit: AuditService;
  logger: Logger;
  sftp: () => { enabled: boolean; port: number | null };
  /** Who may open the status page (Settings, else config), and the panel's issuer for sign-in through the panel. */
  access: StatusPageAccessService;
  issuer: string;
}) {
  const { config, db, audit, logger } = deps;
  const g = config.gatus;
  const path = g.configPath === null ? null : isAbsolute(g.configPath) ? g.configPath : resolve(dirname(config.configPath), g.configPath);
  let timer: NodeJS.Timeout | null = null;
  let syncing: Promise<boolean> | null = null;
  let again = false;

  async function inputs(): Promise<GatusInputs> {
    const rows = (await db('servers').where({ state: 'running' }).orderBy('name').select('name', 'short_id', 'ports')) as Array<{ name: string; short_id: string; ports: string }>;
    const sftp = deps.sftp();
    const https = config.http.publicUrl?.startsWith('https://') ? config.http.publicUrl : null;
    return {
      panelUrl: g.panelUrl,
      sftp: sftp.enabled && sftp.port ? { host: g.serversHost, port: sftp.port } : null,
      serversHost: g.serversHost,
      servers: rows.map((r) => ({ name: r.name, shortId: r.short_id, ports: (JSON.parse(r.ports) as Array<{ name: string; hostPort: number; protocol: 'tcp' | 'udp' }>).map(({ name, hostPort, protocol }) => ({ name, hostPort, protocol })) })),
      httpsUrl: https,
      alerts: g.alertUrl ? { url: g.alertUrl, tokenEnv: TOKEN_ENV } : null,
      web: { port: g.webPort },
      storagePath: g.storagePath,
      access: gatusAccess(await deps.access.current(), deps.access.redirectUri, deps.issuer),
    };
  }

  /** Writes the file if its text changed; true when it was written. */
  async function syncOnce(): Promise<boolean> {
    if (!path) return false;
    let text: string;
    try {
      text = renderGatusConfig(gatusConfig(await inputs()));
    } catch (err) {
      logger.error({ err }, 'the Gatus configuration was not written');
      await audit.record({ type: 'gatus.config_refused', actor: { type: 'system', id: null, name: 'gatus' }, ip: null, userAgent: null, target: null, outcome: 'failure', details: { reason: (err as Error).message.slice(0, 500) } });
      return false;
    }
    let current: string | null = null;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = null;
    }
    if (current === text) return false;
    writeGatusConfig(path, text);
    return true;
  }

  /** One sync at a time; a change during one makes another right after. */
  function sync(): Promise<boolean> {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = syncOnce().finally(() => {
      syncing = null;
      if (again) {
        again = false;
        void sync();
      }
    });
    return syncing;
  }

  return {
    path,
    sync,
    start(): void {
      if (!path || timer) return;
      void sync().catch((err: unknown) => logger.error({ err }, 'writing the Gatus configuration failed'));
      timer = setInterval(() => void sync().catch((err: unknown) => logger.error({ err }, 'writing the Gatus configuration failed')), EVERY_MS);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await syncing?.catch(() => undefined);
    },
  };
}
