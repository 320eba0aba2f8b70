// Log formats the monitor reads, and a guess of a file's format from its first lines.
import { createAuditLogParser } from './audit-log.ts';
import { createNginxParser } from './nginx.ts';
import { createSshdParser, MALFORMED, type LineParser } from './sshd.ts';

export { fromAudit } from './audit-log.ts';
export { MALFORMED, type LineParser } from './sshd.ts';

export const FORMATS = ['syslog', 'nginx', 'audit'] as const;
export type LogFormat = (typeof FORMATS)[number];

export function parserFor(format: LogFormat, opts: { year?: number } = {}): LineParser {
  if (format === 'nginx') return createNginxParser();
  if (format === 'audit') return createAuditLogParser();
  return createSshdParser(opts.year);
}

/** The format whose parser reads most of these sample lines; syslog when none does. */
export function detectFormat(sample: string[]): LogFormat {
  const lines = sample.filter((l) => l.trim() !== '').slice(0, 50);
  let best: LogFormat = 'syslog';
  let bestScore = -1;
  for (const format of FORMATS) {
    const parse = parserFor(format);
    const score = lines.filter((l) => parse(l) !== MALFORMED).length;
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return best;
}
