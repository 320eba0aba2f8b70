// The one pino logger: JSON lines to stdout and to <logDir>/panel.log, with secrets redacted.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

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
    const clean = SECRET_KEYS.has(key.toLowerCase()) ? CENSOR : scrub(item, depth + 1);
    if (clean !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = clean;
  }
  return out ?? value;
}

export function createLogger(opts: { level: string; logDir?: string; stdout?: boolean }): Logger {
  const streams: pino.StreamEntry[] = [];
  if (opts.stdout !== false) streams.push({ level: opts.level as pino.Level, stream: process.stdout });
  if (opts.logDir) {
    mkdirSync(opts.logDir, { recursive: true, mode: 0o750 });
    streams.push({
      level: opts.level as pino.Level,
      stream: pino.destination({ dest: join(opts.logDir, 'panel.log'), mkdir: true, sync: false, mode: 0o640 }),
    });
  }
  return pino(
    {
      level: opts.level,
      base: { service: 'aether' },
      // Key-based scrubbing instead of pino's path-based redact: it covers every depth, and costs one Set lookup per
      // key on the flat request lines that make up most of the log.
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}

/** A logger that discards everything, for tests and CLI commands that print their own output. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
