// The hash chain: the canonical form of an event and the hash that links it to the one before.
import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit.types.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same event always serialises to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Every field of an event except its own hash, in canonical form. */
export function canonicalEvent(event: Omit<AuditEvent, 'hash'>): string {
  return canonicalJson({
    id: event.id,
    ts: event.ts,
    type: event.type,
    actor: event.actor,
    ip: event.ip,
    userAgent: event.userAgent,
    target: event.target,
    outcome: event.outcome,
    details: event.details,
    prevHash: event.prevHash,
  });
}

export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalEvent(event), 'utf8').digest('hex');
}
