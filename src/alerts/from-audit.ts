// Panel events that are alerts by themselves, whatever the rules say: a server that crashed or was stopped for its
// disk use, a backup that failed, a certificate about to expire, a node whose engine stopped answering. Each is read from the audit trail as it is recorded.
import type { AuditEvent } from '../audit/index.ts';
import type { AlertSource, RaiseAlert, Severity } from './alerts.types.ts';

type Mapping = { source: AlertSource; severity: Severity; title: (e: AuditEvent) => string };

const name = (e: AuditEvent) => e.target.name ?? e.target.id ?? 'unknown';
const reason = (e: AuditEvent) => (typeof e.details.reason === 'string' ? `: ${e.details.reason}` : '');

const ALERTING_EVENTS: Readonly<Record<string, Mapping>> = {
  'server.crashed': { source: 'servers', severity: 'high', title: (e) => `Server ${name(e)} crashed${reason(e)}` },
  'server.disk_exceeded': { source: 'servers', severity: 'high', title: (e) => `Server ${name(e)} was stopped${reason(e)}` },
  'backup.failed': { source: 'system', severity: 'high', title: (e) => `Backup failed${reason(e)}` },
  'backup.offsite_failed': { source: 'system', severity: 'high', title: () => 'A backup could not be copied off the machine' },
  'restore_test.failed': { source: 'system', severity: 'high', title: (e) => `The scheduled restore test failed${reason(e)}` },
  'certificate.expiring': { source: 'system', severity: 'medium', title: (e) => `Certificate of ${name(e)} expires soon` },
  'node.unreachable': { source: 'servers', severity: 'high', title: (e) => `Node ${name(e)} does not answer${reason(e)}` },
};

/** Events that end what an earlier one raised: a node answering again resolves its "does not answer" alert. */
const RESOLVING_EVENTS: Readonly<Record<string, string>> = { 'node.reachable': 'node.unreachable' };

const dedupKeyOf = (type: string, e: AuditEvent) => `event:${type}:${e.target.type ?? ''}:${e.target.id ?? ''}`;

/** The open alert this event resolves (its dedup key), or null. */
export function auditEventResolves(e: AuditEvent): string | null {
  const raisedBy = RESOLVING_EVENTS[e.type];
  return raisedBy ? dedupKeyOf(raisedBy, e) : null;
}

/** The alert an audit event stands for, or null for the (many) events that are not alerts by themselves. */
export function auditEventAlert(e: AuditEvent): RaiseAlert | null {
  const m = ALERTING_EVENTS[e.type];
  if (!m) return null;
  const facts = Object.entries(e.details)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}: ${String(v)}`);
  return {
    source: m.source,
    severity: m.severity,
    // One open alert per event type and target: a server crashing again and again counts on the same alert.
    dedupKey: dedupKeyOf(e.type, e),
    title: m.title(e),
    summary: facts.join('\n'),
    ip: e.ip,
    user: null,
    evidence: [{ kind: 'audit', id: e.id }],
    details: { event: e.type, target: e.target },
    ts: e.ts,
  };
}
