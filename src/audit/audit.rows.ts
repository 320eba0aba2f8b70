// Mapping between audit events and rows of the audit_events table.
import type { AuditEvent } from './audit.types.ts';

export type AuditRow = {
  id: number | string;
  ts: number | string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  user_agent: string | null;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
};

export function toRow(e: AuditEvent): AuditRow {
  return {
    id: e.id,
    ts: e.ts,
    type: e.type,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    actor_name: e.actor.name,
    ip: e.ip,
    user_agent: e.userAgent,
    target_type: e.target.type,
    target_id: e.target.id,
    target_name: e.target.name,
    outcome: e.outcome,
    details: JSON.stringify(e.details),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** Reads a row back; a details column that is not JSON is kept as a string so verification can still hash it. */
export function fromRow(r: AuditRow): AuditEvent {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(r.details) as Record<string, unknown>;
  } catch {
    details = { unparseable: r.details };
  }
  return {
    id: Number(r.id),
    ts: Number(r.ts),
    type: r.type,
    actor: { type: r.actor_type as AuditEvent['actor']['type'], id: r.actor_id, name: r.actor_name },
    ip: r.ip,
    userAgent: r.user_agent,
    target: { type: r.target_type, id: r.target_id, name: r.target_name },
    outcome: r.outcome as AuditEvent['outcome'],
    details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
