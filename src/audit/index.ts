// The audit trail: record(event) into a hash chain, the audit.log sink, the event bus and verification.
export { createAuditService, type AuditService, type AuditQuery } from './audit.service.ts';
export { verifyAuditChain, type VerifyResult } from './audit.verify.ts';
export { checkAuditLog, type LogCheckResult } from './audit.log-check.ts';
export { createFileSink, nullSink, type AuditSink } from './audit.sink.ts';
export { createEventBus, type EventBus } from './event-bus.ts';
export type { AuditEvent, AuditInput, AuditActor, AuditTarget, Outcome, ActorType } from './audit.types.ts';

import type { AuditEvent } from './audit.types.ts';

/** An audit event as the API shows it: id as a string, time in ISO 8601, without the chain hashes. */
export const publicAuditEvent = ({ prevHash: _p, hash: _h, ...e }: AuditEvent) => ({ ...e, id: String(e.id), ts: new Date(e.ts).toISOString() });
