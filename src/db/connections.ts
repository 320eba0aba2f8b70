// Who else is connected to a MySQL/MariaDB or PostgreSQL database: the client connections to the same database other
// than the one asking. PostgreSQL lists every client's connection; MySQL/MariaDB list those of the same account (and
// every account's to one with the PROCESS privilege).
import type { Knex } from 'knex';

export type OtherConnection = { id: string; from: string };

/** The other client connections to the database `db` (a transaction: its own connection asks) is connected to. */
export async function otherConnections(db: Knex | Knex.Transaction): Promise<OtherConnection[]> {
  const client = db.client.config.client as string;
  if (client === 'pg') {
    const res = (await db.raw(
      "select pid, coalesce(host(client_addr), 'local socket') as addr, usename from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'",
    )) as { rows: Array<{ pid: number; addr: string; usename: string | null }> };
    return res.rows.map((r) => ({ id: String(r.pid), from: `${r.usename ?? '?'}@${r.addr}` }));
  }
  if (client === 'mysql2') {
    const [rows] = (await db.raw('select id, user, host from information_schema.processlist where db = database() and id <> connection_id()')) as [Array<{ id: number; user: string; host: string }>];
    return rows.map((r) => ({ id: String(r.id), from: `${r.user}@${r.host.replace(/:\d+$/, '')}` }));
  }
  return [];
}
