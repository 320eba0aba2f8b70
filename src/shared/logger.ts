// The one pino logger: JSON lines to stdout and to <logDir>/panel.log, with secrets redacted.
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { LogOutput } from './log-output.ts';

export type { Logger };

// SECURITY: values under these keys never reach a log line in clear, at any depth, whatever a caller passes.
const SECRET_KEYS = new Set([
  'password',
  'newpassword',
  'currentpassword',
  'token',
  'accesstoken',
  'refreshtoken',
  'secret',
  'clientsecret',
  'csrftoken',
  'x-csrf-token',
  'authorization',
  'cookie',
  'set-cookie',
  'recoverycode',
]);
const CENSOR = '[redacted]';

// Log lines repeat the same few keys, so each key's verdict is remembered (up to a bound, as keys can come from input).
const verdicts = new Map<string, boolean>();
function isSecretKey(key: string): boolean {
  let secret = verdicts.get(key);
  if (secret === undefined) {
    secret = SECRET_KEYS.has(key.toLowerCase());
    if (verdicts.size < 10_000) verdicts.set(key, secret);
  }
  return secret;
}

/** Returns the value with every secret key censored; objects without one are returned as they are (no copy). */
export function scrub(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item, i) => {
      const clean = scrub(item, depth + 1);
      if (clean !== item) (out ??= [...value])[i] = clean;
    });
    return out ?? value;
  }
  if (value instanceof Error) return value;
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const clean = isSecretKey(key) ? CENSOR : scrub(item, depth + 1);
    if (clean !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = clean;
  }
  return out ?? value;
}

// pino's isoTime, formatted once per millisecond: a busy panel writes many lines within the same one.
let stampedAt = 0;
let stamp = '';
function isoTime(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = `,"time":"${new Date(now).toISOString()}"`;
  }
  return stamp;
}

export function createLogger(opts: { level: string; logDir?: string; stdout?: boolean }): Logger {
  const output = new LogOutput({
    fds: opts.stdout === false ? [] : [process.stdout.fd],
    files: opts.logDir ? [{ path: join(opts.logDir, 'panel.log'), mode: 0o640 }] : [],
  });
  return pino(
    {
      level: opts.level,
      base: { service: 'aether' },
      // Key-based scrubbing instead of pino's path-based redact: it covers every depth, and costs one Set lookup per
      // key on the flat request lines that make up most of the log.
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      timestamp: isoTime,
    },
    output,
  );
}

/** A logger that discards everything, for tests and CLI commands that print their own output. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
