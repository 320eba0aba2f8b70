// The shape of an audit event, as recorded and as read back.

export type ActorType = 'user' | 'client' | 'system' | 'anonymous';
export type Outcome = 'success' | 'failure' | 'denied';

export type AuditActor = { type: ActorType; id?: string | null; name?: string | null };
export type AuditTarget = { type?: string | null; id?: string | null; name?: string | null };

/** What a caller passes to audit.record(). */
export type AuditInput = {
  type: string;
  actor: AuditActor;
  ip?: string | null;
  userAgent?: string | null;
  target?: AuditTarget | null;
  outcome: Outcome;
  details?: Record<string, unknown>;
};

/** A stored, hash-chained audit event. */
export type AuditEvent = {
  id: number;
  ts: number;
  type: string;
  actor: { type: ActorType; id: string | null; name: string | null };
  ip: string | null;
  userAgent: string | null;
  target: { type: string | null; id: string | null; name: string | null };
  outcome: Outcome;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
};
