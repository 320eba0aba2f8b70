// The banned addresses as a file a host firewall reads: one address (IPv4) or network (IPv6 /64) per line, replaced atomically.
import { renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../shared/logger.ts';

/** A change listener for the bans service that rewrites `file` with the active list. */
export function exportBans(file: string, logger: Logger): (active: string[]) => void {
  return (active) => {
    try {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, active.length ? `${active.join('\n')}\n` : '', { mode: 0o644 });
      renameSync(tmp, file);
    } catch (err) {
      logger.error({ err, file }, 'writing the ban export file failed');
    }
  };
}
