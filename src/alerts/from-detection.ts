// A monitor detection as an alert: titled by its rule and key, deduplicated per rule and key, linked to the detection,
// the audit events and the log lines behind it.
import type { Detection } from '../monitor/index.ts';
import type { AlertEvidence, RaiseAlert } from './alerts.types.ts';

export function detectionAlert(d: Detection, stored: { id: number; outcome: string }): RaiseAlert {
  const evidence: AlertEvidence[] = [{ kind: 'detection', id: stored.id }];
  for (const ev of d.evidence) {
    const auditId = ev.fields?.auditId;
    if (typeof auditId === 'number') evidence.push({ kind: 'audit', id: auditId });
    else if (ev.raw !== undefined) evidence.push({ kind: 'log', ts: new Date(ev.ts).toISOString(), source: ev.source, text: ev.raw });
  }
  const subject = d.key.split('|').join(', ');
  const facts = [
    `Rule ${d.rule} (${d.kind}) fired for ${subject}: ${d.count} matching event${d.count === 1 ? '' : 's'}.`,
    ...Object.entries(d.details).map(([k, v]) => `${k}: ${v}`),
    stored.outcome ? `Action: ${stored.outcome}.` : null,
    d.simulate ? 'The rule is in simulate mode: nothing was enforced.' : null,
  ].filter((x) => x !== null);
  return {
    source: 'security',
    // A rule being tried out (simulate) informs; it does not page anyone.
    severity: d.simulate ? 'info' : d.severity,
    dedupKey: `rule:${d.rule}:${d.key}`,
    title: `${d.simulate ? '[simulated] ' : ''}${d.title}: ${subject}`,
    summary: facts.join('\n'),
    ip: d.ip,
    user: d.user,
    evidence,
    details: { rule: d.rule, kind: d.kind, key: d.key, count: d.count, detectionId: stored.id, outcome: stored.outcome, simulated: d.simulate },
    ts: d.ts,
  };
}
