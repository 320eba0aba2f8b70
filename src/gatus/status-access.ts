// Who may open the status page (Gatus on 8081): everyone, basic auth, or only people signed in to the panel (Gatus
// signs them in through the panel's own OpenID Connect provider). Chosen by an administrator in Settings (kept in the
// settings table), else config.json's gatus.access.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import { readSetting, writeSetting, type Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict } from '../shared/errors.ts';
import { loadOrCreateKey } from '../shared/key-file.ts';
import { ConfigError } from '../config/index.ts';

const KEY = 'status_page_access';
const RELOAD_MS = 2000;

/** The OAuth2 client id Gatus signs people in with, and the environment variable its secret is given to Gatus in. */
export const STATUS_PAGE_CLIENT_ID = 'aether-status-page';
export const STATUS_PAGE_SECRET_ENV = 'AETHER_GATUS_OIDC_SECRET';
/** Where Gatus takes people back after sign-in (Gatus refuses any other path). */
export const GATUS_CALLBACK_PATH = '/authorization-code/callback';

export type StatusPageAccess = { kind: 'public' } | { kind: 'basic'; username: string; passwordBcryptBase64Env: string } | { kind: 'panel' };

export type StatusPageAccessService = ReturnType<typeof createStatusPageAccess>;

/** The status page client's secret: AETHER_GATUS_OIDC_SECRET when set (at least 32 characters), else a key file. */
export function statusPageSecret(keysDir: string, env: NodeJS.ProcessEnv): string {
  const given = env[STATUS_PAGE_SECRET_ENV];
  if (given === undefined || given === '') return loadOrCreateKey(keysDir, 'gatus-oidc').toString('base64url');
  if (given.length < 32 || /\s/.test(given)) throw new ConfigError(`${STATUS_PAGE_SECRET_ENV}: must be at least 32 characters without spaces (e.g. openssl rand -hex 32)`);
  return given;
}

export function createStatusPageAccess(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  configured: StatusPageAccess;
  /** The status page as people open it (gatus.statusPageUrl): sign-in through the panel needs it. */
  statusPageUrl: string | null;
  keysDir: string;
  env: NodeJS.ProcessEnv;
}) {
  const { db, clock, audit } = deps;
  const secret = statusPageSecret(deps.keysDir, deps.env);
  const listeners = new Set<() => void>();
  let stored: StatusPageAccess | null = null;
  let loadedAt = -Infinity;

  async function current(): Promise<StatusPageAccess> {
    // Re-read every few seconds, so a change made by another process (the CLI) reaches a running panel.
    if (clock.now() - loadedAt >= RELOAD_MS) {
      stored = await readSetting<StatusPageAccess>(db, KEY);
      loadedAt = clock.now();
    }
    return stored ?? deps.configured;
  }

  return {
    current,
    /** The address Gatus sends people back to after they sign in; null without gatus.statusPageUrl. */
    redirectUri: deps.statusPageUrl ? `${deps.statusPageUrl.replace(/\/+$/, '')}${GATUS_CALLBACK_PATH}` : null,
    /** The client secret Gatus is given (never shown in the panel; the same value goes to Gatus's environment). */
    secret,
    async set(caller: Caller, next: StatusPageAccess): Promise<StatusPageAccess> {
      if (next.kind === 'panel' && !deps.statusPageUrl) {
        throw conflict('status_page_url_required', 'Sign-in through the panel needs the status page\'s address: set gatus.statusPageUrl in the configuration first.');
      }
      const before = await current();
      const now = clock.now();
      await writeSetting(db, KEY, next, now);
      stored = next;
      loadedAt = now;
      await audit.record({
        type: 'settings.status_page_access_changed',
        ...auditFrom(caller),
        target: { type: 'settings', id: KEY, name: 'status page access' },
        outcome: 'success',
        details: { before: before.kind, after: next.kind },
      });
      for (const listener of listeners) listener();
      return next;
    },
    /** Called after each change (the Gatus file is rewritten). */
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
