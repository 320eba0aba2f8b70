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

/** The address after " from " (up to the next space), or after "rhost=". */
function addressAfter(message: string, marker: string, from = 0): string | null {
  const at = message.indexOf(marker, from);
  if (at === -1) return null;
  const start = at + marker.length;
  const end = message.indexOf(' ', start);
  return message.slice(start, end === -1 ? undefined : end) || null;
}

/** "for invalid user NAME from" / "for NAME from": the user name (may contain spaces only in hostile input; cut there). */
function userBetween(message: string, start: number): { user: string; invalid: boolean } {
  let from = start;
  let invalid = false;
  if (message.startsWith('invalid user ', from)) {
    invalid = true;
    from += 13;
  }
  const end = message.lastIndexOf(' from ');
  return { user: message.slice(from, end > from ? end : undefined), invalid };
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
    const program = line.slice(hostEnd + 1, colon);
    if (!program.startsWith('sshd')) return null;
    const msg = line.slice(colon + 2);
    const ts = time.ms;
    switch (msg.charCodeAt(0)) {
      case 70: // F
        if (msg.startsWith('Failed ')) {
          const forAt = msg.indexOf(' for ', 7);
          if (forAt === -1) return null;
          const { user, invalid } = userBetween(msg, forAt + 5);
          return event(ts, 'ssh.auth.failure', addressAfter(msg, ' from '), user, invalid ? 'invalid_user' : msg.slice(7, forAt));
        }
        return null;
      case 65: // A
        if (msg.startsWith('Accepted ')) {
          const forAt = msg.indexOf(' for ', 9);
          if (forAt === -1) return null;
          return event(ts, 'ssh.auth.success', addressAfter(msg, ' from '), userBetween(msg, forAt + 5).user, msg.slice(9, forAt));
        }
        return null;
      case 73: // I
        if (msg.startsWith('Invalid user ')) {
          const end = msg.lastIndexOf(' from ');
          return event(ts, 'ssh.invalid_user', addressAfter(msg, ' from '), msg.slice(13, end > 13 ? end : undefined), 'invalid_user');
        }
        return null;
      case 101: // e
        if (msg.startsWith('error: maximum authentication attempts exceeded for ')) {
          const { user, invalid } = userBetween(msg, 52);
          return event(ts, 'ssh.auth.failure', addressAfter(msg, ' from '), user, invalid ? 'invalid_user' : 'max_attempts');
        }
        return null;
      default:
        return null;
    }
  };
}
