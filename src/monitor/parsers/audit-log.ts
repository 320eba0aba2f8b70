// The panel's own audit events, live from the event bus or replayed from audit.log lines, in the monitor's event shape.
import type { MonitorEvent } from '../event.ts';
import { MALFORMED, type LineParser } from './sshd.ts';

type AuditLike = {
  /** The event's id in the audit trail (live events and audit.log lines both carry it). */
  id?: number;
  ts: number;
  type: string;
  outcome?: string;
  actor?: { type?: string | null; id?: string | null; name?: string | null } | null;
  ip?: string | null;
  target?: { type?: string | null; id?: string | null; name?: string | null } | null;
  details?: Record<string, unknown> | null;
};

/**
 * The account an event is about: the user it targets (a failed login names the account tried), else the acting user,
 * else the name an anonymous caller typed.
 */
function userOf(e: AuditLike): string | null {
  if (e.target?.type === 'user' && e.target.name) return e.target.name;
  return e.actor?.name ?? null;
}

export function fromAudit(e: AuditLike): MonitorEvent {
  const fields: Record<string, string | number | boolean | null> = {
    outcome: e.outcome ?? null,
    actorType: e.actor?.type ?? null,
    actorId: e.actor?.id ?? null,
    targetType: e.target?.type ?? null,
    targetId: e.target?.id ?? null,
  };
  // Lets an alert link back to the audit events behind it.
  if (typeof e.id === 'number') fields.auditId = e.id;
  for (const [k, v] of Object.entries(e.details ?? {})) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  }
  return { ts: e.ts, source: 'panel', event: e.type, ip: e.ip ?? null, user: userOf(e), service: 'panel', http: null, fields };
}

/** audit.log lines: {"time","type","outcome","actor","ip","target","details",...}. */
export function createAuditLogParser(): LineParser {
  return (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return MALFORMED;
    }
    const o = parsed as { time?: unknown; type?: unknown } & AuditLike;
    if (!o || typeof o !== 'object' || typeof o.type !== 'string' || typeof o.time !== 'string') return MALFORMED;
    const ts = Date.parse(o.time);
    if (Number.isNaN(ts)) return MALFORMED;
    return fromAudit({ ...o, ts });
  };
}
