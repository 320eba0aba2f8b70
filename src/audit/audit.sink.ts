// The JSON-lines audit.log sink: one line per event, the file admins, fail2ban and SIEMs read.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from './audit.types.ts';

export type AuditSink = { write(event: AuditEvent): void; close(): Promise<void> };

export function createFileSink(logDir: string): AuditSink {
  mkdirSync(logDir, { recursive: true, mode: 0o750 });
  const stream: WriteStream = createWriteStream(join(logDir, 'audit.log'), { flags: 'a', mode: 0o640 });
  return {
    write(event) {
      const line = {
        time: new Date(event.ts).toISOString(),
        id: event.id,
        type: event.type,
        outcome: event.outcome,
        actor: event.actor,
        ip: event.ip,
        userAgent: event.userAgent,
        target: event.target,
        details: event.details,
        hash: event.hash,
      };
      stream.write(`${JSON.stringify(line)}\n`);
    },
    close: () =>
      new Promise((resolve) => {
        if (stream.writableEnded) return resolve();
        stream.end(() => resolve());
      }),
  };
}

export const nullSink: AuditSink = { write() {}, close: async () => {} };
