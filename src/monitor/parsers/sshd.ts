// OpenSSH server lines (sshd and sshd-session) of auth.log or the journal: failed and accepted logins with user and address.
import type { MonitorEvent } from '../event.ts';
import { createSyslogClock } from './syslog-time.ts';

/** A line that is not a syslog line at all (no timestamp, no program): counted, never fatal. */
export const MALFORMED = Symbol('malformed');

export type LineParser = (line: string) => MonitorEvent | null | typeof MALFORMED;

const event = (ts: number, name: string, ip: string | null, user: string | null, reason: string | null): MonitorEvent => ({
  ts,
  source: 'sshd',
  event: name,
  ip,
  user,
  service: 'ssh',
  http: null,
  fields: reason === null ? null : { reason },
});

/** The address after the last " from " of the message (up to the next space), or null. */
function addressAfterFrom(line: string, from: number): string | null {
  const at = line.lastIndexOf(' from ');
  if (at < from) return null;
  const start = at + 6;
  const end = line.indexOf(' ', start);
  return line.slice(start, end === -1 ? undefined : end) || null;
}

/** "invalid user NAME from" / "NAME from" starting at `start`: the user name and whether it was an invalid one. */
function userAt(line: string, start: number): { user: string; invalid: boolean } {
  let from = start;
  let invalid = false;
  if (line.startsWith('invalid user ', from)) {
    invalid = true;
    from += 13;
  }
  const end = line.lastIndexOf(' from ');
  return { user: line.slice(from, end > from ? end : undefined), invalid };
}

/** Parses sshd lines; `year` is the year of a classic timestamp's first line. */
export function createSshdParser(year = new Date().getFullYear()): LineParser {
  const clock = createSyslogClock(year);
  return (line) => {
    const time = clock.read(line);
    if (!time) return MALFORMED;
    // "host program[pid]: message"
    const hostEnd = line.indexOf(' ', time.rest);
    if (hostEnd === -1) return MALFORMED;
    const colon = line.indexOf(': ', hostEnd);
    if (colon === -1) return MALFORMED;
    // Lines of other programs (cron, sudo, systemd...) cost two comparisons.
    if (!line.startsWith('sshd', hostEnd + 1)) return null;
    const m = colon + 2;
    const ts = time.ms;
    switch (line.charCodeAt(m)) {
      case 70: // F
        if (line.startsWith('Failed ', m)) {
          const forAt = line.indexOf(' for ', m + 7);
          if (forAt === -1) return null;
          const { user, invalid } = userAt(line, forAt + 5);
          return event(ts, 'ssh.auth.failure', addressAfterFrom(line, forAt), user, invalid ? 'invalid_user' : line.slice(m + 7, forAt));
        }
        return null;
      case 65: // A
        if (line.startsWith('Accepted ', m)) {
          const forAt = line.indexOf(' for ', m + 9);
          if (forAt === -1) return null;
          return event(ts, 'ssh.auth.success', addressAfterFrom(line, forAt), userAt(line, forAt + 5).user, line.slice(m + 9, forAt));
        }
        return null;
      case 73: // I
        if (line.startsWith('Invalid user ', m)) {
          const end = line.lastIndexOf(' from ');
          return event(ts, 'ssh.invalid_user', addressAfterFrom(line, m), line.slice(m + 13, end > m + 13 ? end : undefined), 'invalid_user');
        }
        return null;
      case 101: // e
        if (line.startsWith('error: maximum authentication attempts exceeded for ', m)) {
          const { user, invalid } = userAt(line, m + 52);
          return event(ts, 'ssh.auth.failure', addressAfterFrom(line, m), user, invalid ? 'invalid_user' : 'max_attempts');
        }
        return null;
      default:
        return null;
    }
  };
}
