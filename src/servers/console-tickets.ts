// Console tickets: a browser cannot put its CSRF token on a WebSocket handshake, so it first asks for a ticket (a CSRF-
// checked POST) and opens the socket with it and its session cookie. A ticket is good once, for 30 seconds, for one
// user, one server and one address.
import { newSecret, digest } from '../shared/ids.ts';
import type { Clock } from '../shared/clock.ts';

export const TICKET_TTL_MS = 30_000;

export type ConsoleTicket = { userId: string; serverId: string; ip: string; expiresAt: number };

export type ConsoleTickets = ReturnType<typeof createConsoleTickets>;

export function createConsoleTickets(clock: Clock) {
  // SECURITY: only digests are kept; the ticket itself exists in the answer to its owner alone.
  const tickets = new Map<string, ConsoleTicket>();
  const sweep = (now: number) => {
    for (const [k, t] of tickets) if (t.expiresAt <= now) tickets.delete(k);
  };
  return {
    issue(t: Omit<ConsoleTicket, 'expiresAt'>): { ticket: string; expiresAt: number } {
      const now = clock.now();
      sweep(now);
      if (tickets.size > 10_000) tickets.clear();
      const ticket = newSecret(32);
      const expiresAt = now + TICKET_TTL_MS;
      tickets.set(digest(ticket), { ...t, expiresAt });
      return { ticket, expiresAt };
    },
    /** The ticket's grant, once: a second use (or a late one) finds nothing. */
    take(ticket: string): ConsoleTicket | null {
      const key = digest(ticket);
      const t = tickets.get(key);
      tickets.delete(key);
      return t && t.expiresAt > clock.now() ? t : null;
    },
  };
}
