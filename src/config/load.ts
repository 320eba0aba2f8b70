// Reads config.json (writing safe defaults on first start), applies AETHER_* overrides and returns one frozen, typed Config.
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { configSchema, type Config, type DatabaseConfig } from './schema.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type LoadedConfig = Readonly<Config> & {
  /** Absolute path of the config file that was read. */
  readonly configPath: string;
  /** dataDir, logDir and the backup directory, resolved to absolute paths. */
  readonly paths: { readonly dataDir: string; readonly logDir: string; readonly database: string | null; readonly backupDir: string };
  /** True when the file did not exist and was written with defaults. */
  readonly created: boolean;
};

type Env = Record<string, string | undefined>;

/** The config file path: --config wins over AETHER_CONFIG, which wins over ./config.json. */
export function configPathFrom(argvPath: string | undefined, env: Env, cwd = process.cwd()): string {
  return resolve(cwd, argvPath ?? env.AETHER_CONFIG ?? 'config.json');
}

function formatIssues(issues: z.core.$ZodIssue[], origin: string): string {
  const lines = issues.map((issue) => {
    const base = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `  ${base ? `${base}.` : ''}${k}: unknown key`).join('\n');
    }
    return `  ${base || '(root)'}: ${issue.message}`;
  });
  return `Invalid configuration in ${origin}:\n${lines.join('\n')}`;
}

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!filename) throw new ConfigError('AETHER_DATABASE_URL: sqlite: needs a file name, e.g. sqlite:data/database.db');
    return { client: 'sqlite', filename, busyTimeoutMs: 5000 };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('AETHER_DATABASE_URL: not a valid URL (sqlite:FILE, mysql://user:pass@host:port/db or postgres://...)');
  }
  const client = parsed.protocol === 'mysql:' ? 'mysql' : ['postgres:', 'postgresql:'].includes(parsed.protocol) ? 'postgres' : null;
  if (!client) throw new ConfigError(`AETHER_DATABASE_URL: unsupported scheme "${parsed.protocol}" (use sqlite:, mysql: or postgres:)`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database || !parsed.username) throw new ConfigError('AETHER_DATABASE_URL: user and database name are required');
  return {
    client,
    host: parsed.hostname,
    ...(parsed.port ? { port: Number(parsed.port) } : {}),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    ssl: parsed.searchParams.get('ssl') === 'true',
  };
}

/** Applies the AETHER_* environment overrides to the raw (unvalidated) config object. */
function applyEnv(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(raw);
  const section = (name: string): Record<string, unknown> => {
    const value = out[name];
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    const created: Record<string, unknown> = {};
    out[name] = created;
    return created;
  };
  if (env.AETHER_DATA_DIR) out.dataDir = env.AETHER_DATA_DIR;
  if (env.AETHER_LOG_DIR) out.logDir = env.AETHER_LOG_DIR;
  if (env.AETHER_LOG_LEVEL) out.logLevel = env.AETHER_LOG_LEVEL;
  if (env.AETHER_HTTP_HOST) section('http').host = env.AETHER_HTTP_HOST;
  if (env.AETHER_HTTP_PORT !== undefined && env.AETHER_HTTP_PORT !== '') {
    const port = Number(env.AETHER_HTTP_PORT);
    section('http').port = Number.isInteger(port) ? port : env.AETHER_HTTP_PORT;
  }
  if (env.AETHER_TRUSTED_PROXIES !== undefined) {
    section('http').trustedProxies = env.AETHER_TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (env.AETHER_PUBLIC_URL) section('http').publicUrl = env.AETHER_PUBLIC_URL;
  if (env.AETHER_SFTP_PORT !== undefined && env.AETHER_SFTP_PORT !== '') {
    const port = Number(env.AETHER_SFTP_PORT);
    section('sftp').port = Number.isInteger(port) ? port : env.AETHER_SFTP_PORT;
  }
  if (env.AETHER_DATABASE_URL) out.database = parseDatabaseUrl(env.AETHER_DATABASE_URL);
  if (env.AETHER_REDIS_URL) section('redis').url = env.AETHER_REDIS_URL;
  if (env.AETHER_SERVERS_DIR) section('servers').dataDir = env.AETHER_SERVERS_DIR;
  if (env.AETHER_BACKUP_DIR) section('backup').dir = env.AETHER_BACKUP_DIR;
  // Where Gatus runs beside the panel (the compose file): the file it reads and the addresses each side uses.
  if (env.AETHER_GATUS_CONFIG) section('gatus').configPath = env.AETHER_GATUS_CONFIG;
  if (env.AETHER_GATUS_API_URL) section('gatus').apiUrl = env.AETHER_GATUS_API_URL;
  if (env.AETHER_GATUS_PANEL_URL) section('gatus').panelUrl = env.AETHER_GATUS_PANEL_URL;
  if (env.AETHER_GATUS_ALERT_URL) section('gatus').alertUrl = env.AETHER_GATUS_ALERT_URL;
  if (env.AETHER_GATUS_STATUS_URL) section('gatus').statusPageUrl = env.AETHER_GATUS_STATUS_URL;
  if (env.AETHER_GATUS_SERVERS_HOST) section('gatus').serversHost = env.AETHER_GATUS_SERVERS_HOST;
  if (env.AETHER_TOTP_KEY) section('security').totpEncryptionKey = env.AETHER_TOTP_KEY;
  return out;
}

function readRaw(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${path} must contain a JSON object`);
  return raw as Record<string, unknown>;
}

/** Writes a config file atomically with owner-only permissions. */
export function writeConfigFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export function validateConfig(raw: unknown, origin: string): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues, origin));
  return result.data;
}

export function loadConfig(opts: { path: string; env?: Env; createIfMissing?: boolean }): LoadedConfig {
  const env = opts.env ?? process.env;
  let created = false;
  if (!existsSync(opts.path)) {
    if (opts.createIfMissing === false) throw new ConfigError(`Config file ${opts.path} does not exist`);
    // SECURITY: the file may later hold database passwords, so it is written readable by the owner only.
    writeConfigFile(opts.path, configSchema.parse({}));
    created = true;
  }
  const raw = readRaw(opts.path);
  // Validate the file alone first, so an error names the file rather than an environment variable.
  validateConfig(raw, opts.path);
  const config = validateConfig(applyEnv(raw, env), `${opts.path} with AETHER_* environment overrides`);
  const base = dirname(opts.path);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const dataDir = abs(config.dataDir);
  const database =
    config.database.client === 'sqlite'
      ? isAbsolute(config.database.filename)
        ? config.database.filename
        : resolve(dataDir, config.database.filename)
      : null;
  return deepFreeze({
    ...config,
    configPath: opts.path,
    paths: { dataDir, logDir: config.logDir ? abs(config.logDir) : resolve(dataDir, 'logs'), database, backupDir: abs(config.backup.dir) },
    created,
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
