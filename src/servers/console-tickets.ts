// Console tickets: a browser cannot put its CSRF token on a WebSocket handshake, so it first asks for a ticket (a CSRF-
// checked POST) and opens the socket with it and its session cookie. A ticket is good once, for 30 seconds, for one
// user, one server and one address. Kept in the database, so replicas share them (the proxy may send the POST to one
// and the socket to another).
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { digest, newSecret } from '../shared/ids.ts';

export const TICKET_TTL_MS = 30_000;

export type ConsoleTicket = { userId: string; serverId: string; ip: string; expiresAt: number };

type TicketRow = { id_hash: string; user_id: string; server_id: string; ip: string; expires_at: number | string };

export type ConsoleTickets = ReturnType<typeof createConsoleTickets>;

export function createConsoleTickets(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async issue(t: Omit<ConsoleTicket, 'expiresAt'>): Promise<{ ticket: string; expiresAt: number }> {
      const now = clock.now();
      await db('console_tickets').where('expires_at', '<=', now).delete();
      // SECURITY: only digests are kept; the ticket itself exists in the answer to its owner alone.
      const ticket = newSecret(32);
      const expiresAt = now + TICKET_TTL_MS;
      await db('console_tickets').insert({ id_hash: digest(ticket), user_id: t.userId, server_id: t.serverId, ip: t.ip, expires_at: expiresAt });
      return { ticket, expiresAt };
    },
    /** The ticket's grant, once: a second use (or a late one) finds nothing, on any replica. */
    async take(ticket: string): Promise<ConsoleTicket | null> {
      if (!ticket) return null;
      const key = digest(ticket);
      const row = (await db<TicketRow>('console_tickets').where({ id_hash: key }).first()) as TicketRow | undefined;
      if (!row) return null;
      // Whoever deletes the row holds the ticket: two sockets opened with it at once cannot both have it.
      const taken = await db('console_tickets').where({ id_hash: key }).delete();
      if (taken !== 1 || Number(row.expires_at) <= clock.now()) return null;
      return { userId: row.user_id, serverId: row.server_id, ip: row.ip, expiresAt: Number(row.expires_at) };
    },
  };
}
