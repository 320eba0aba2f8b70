// The one pino logger: JSON lines to stdout and to <logDir>/panel.log, with secrets redacted.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

// SECURITY: these paths never reach a log line in clear, whatever a caller passes.
const REDACT = [
  'password',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'csrfToken',
  '*.csrfToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

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
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}

/** A logger that discards everything, for tests and CLI commands that print their own output. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
