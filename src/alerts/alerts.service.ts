// The alert inbox: alerts raised by the monitor, resource thresholds and the panel itself, deduplicated while open,
// worked by responders (acknowledge, assign, note, resolve, one-click responses) with every step on a timeline, and
// handed to the outbox for notification.
import type { AuditEvent, AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import { insertReturningId, type Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { severityRank, type AlertEvidence, type AlertSource, type AlertStatus, type AlertSummary, type RaiseAlert, type Severity } from './alerts.types.ts';
import type { Delivery, Outbox } from './outbox.ts';

type AlertRow = {
  id: number;
  dedup_key: string;
  open_key: string | null;
  source: AlertSource;
  severity: Severity;
  status: AlertStatus;
  title: string;
  summary: string;
  ip: string | null;
  user: string | null;
  count: number;
  first_seen: number | string;
  last_seen: number | string;
  assignee_id: string | null;
  acknowledged_at: number | string | null;
  resolved_at: number | string | null;
  updated_at: number | string;
  details: string;
};

type EventRow = { id: number; alert_id: number; ts: number | string; kind: string; actor_type: string; actor_id: string | null; actor_name: string | null; text: string; data: string };
type EvidenceRow = { id: number; alert_id: number; kind: AlertEvidence['kind']; ref_id: number | null; ts: number | string; data: string };

export type Alert = AlertSummary & {
  dedupKey: string;
  assignee: { id: string; username: string } | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  updatedAt: string;
  details: Record<string, unknown>;
};

export type TimelineEntry = { id: number; ts: string; kind: string; actor: { type: string; id: string | null; name: string | null }; text: string; data: Record<string, unknown> };

export type AlertDetail = {
  alert: Alert;
  timeline: TimelineEntry[];
  evidence: Array<AlertEvidence & { ts: string }>;
  /** The audit events the evidence names. */
  auditEvents: AuditEvent[];
  /** The stored detections the evidence names. */
  detections: Array<{ id: number; rule: string; ts: string; count: number; outcome: string; evidence: unknown[] }>;
  related: { auditEvents: AuditEvent[]; alerts: AlertSummary[] };
  deliveries: Delivery[];
};

export type AlertQuery = {
  status?: AlertStatus[] | undefined;
  severity?: Severity[] | undefined;
  source?: AlertSource[] | undefined;
  ip?: string | undefined;
  user?: string | undefined;
  q?: string | undefined;
  assignee?: string | undefined;
  sort: 'last_seen' | 'first_seen' | 'severity' | 'count';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
};

export type AlertChange = { type: 'created' | 'updated'; alert: AlertSummary };

/** Evidence rows kept per alert; repeats beyond it only count. */
const MAX_EVIDENCE = 50;

const iso = (v: number | string | null): string | null => (v === null ? null : new Date(Number(v)).toISOString());

/** Severity order in SQL, for sorting (the column holds words). */
const SEVERITY_ORDER = "case severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end";

export type AlertsService = ReturnType<typeof createAlertsService>;

export function createAlertsService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  logger: Logger;
  outbox: Outbox;
  alertUrl: (id: number) => string | null;
  /** Tells the other replicas' live inboxes about a change made here. */
  announce?: (change: AlertChange) => void;
}) {
  const { db, clock, audit, logger, outbox } = deps;
  const listeners = new Set<(change: AlertChange) => void>();

  const summary = (r: AlertRow): AlertSummary => ({
    id: r.id,
    severity: r.severity,
    status: r.status,
    source: r.source,
    title: r.title,
    summary: r.summary,
    ip: r.ip,
    user: r.user,
    count: r.count,
    firstSeen: iso(r.first_seen)!,
    lastSeen: iso(r.last_seen)!,
    url: deps.alertUrl(r.id),
  });

  async function present(r: AlertRow): Promise<Alert> {
    const assignee = r.assignee_id ? ((await db('users').where({ id: r.assignee_id }).first('id', 'username')) as { id: string; username: string } | undefined) : undefined;
    return {
      ...summary(r),
      dedupKey: r.dedup_key,
      assignee: assignee ?? null,
      acknowledgedAt: iso(r.acknowledged_at),
      resolvedAt: iso(r.resolved_at),
      updatedAt: iso(r.updated_at)!,
      details: JSON.parse(r.details) as Record<string, unknown>,
    };
  }

  function emit(type: AlertChange['type'], r: AlertRow): void {
    const change = { type, alert: summary(r) };
    deps.announce?.(change);
    notify(change);
  }

  function notify(change: AlertChange): void {
    for (const l of listeners) {
      try {
        l(change);
      } catch (err) {
        logger.error({ err }, 'alert listener failed');
      }
    }
  }

  async function row(id: number): Promise<AlertRow> {
    const r = (await db<AlertRow>('alerts').where({ id }).first()) as AlertRow | undefined;
    if (!r) throw notFound('Alert');
    return r;
  }

  const actorOf = (caller: Caller) => {
    const a = auditFrom(caller).actor;
    return { actor_type: a.type, actor_id: a.id ?? null, actor_name: a.name ?? null };
  };

  async function addEvent(trx: Db, alertId: number, caller: Caller, kind: string, text: string, data: Record<string, unknown> = {}): Promise<void> {
    await trx('alert_events').insert({ alert_id: alertId, ts: clock.now(), kind, ...actorOf(caller), text: text.slice(0, 2000), data: JSON.stringify(data) });
  }

  async function addEvidence(trx: Db, alertId: number, evidence: readonly AlertEvidence[], ts: number, isNew: boolean): Promise<void> {
    if (evidence.length === 0) return;
    const have = isNew ? 0 : Number(((await trx('alert_evidence').where({ alert_id: alertId }).count({ n: '*' }).first()) as { n: number | string }).n);
    const room = MAX_EVIDENCE - have;
    if (room <= 0) return;
    const rows = evidence.slice(0, room).map((e) => ({
      alert_id: alertId,
      kind: e.kind,
      ref_id: e.kind === 'detection' || e.kind === 'audit' ? e.id : null,
      ts: e.kind === 'log' || e.kind === 'metric' ? Date.parse(e.ts) || ts : ts,
      data: JSON.stringify(e),
    }));
    await trx('alert_evidence').insert(rows);
  }

  /** Raises an alert, or counts a repeat of the unresolved one with the same dedup key. */
  async function raise(input: RaiseAlert, caller: Caller): Promise<{ alert: AlertSummary; created: boolean }> {
    const ts = input.ts ?? clock.now();
    const now = clock.now();
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await db.transaction(async (trx) => {
          const existing = (await trx<AlertRow>('alerts').where({ open_key: input.dedupKey }).first()) as AlertRow | undefined;
          if (existing) {
            // A repeat: counted, and the alert takes the higher severity if the repeat is worse.
            const severity = severityRank(input.severity) > severityRank(existing.severity) ? input.severity : existing.severity;
            await trx('alerts')
              .where({ id: existing.id })
              .update({ count: existing.count + 1, last_seen: Math.max(Number(existing.last_seen), ts), severity, updated_at: now });
            await addEvidence(trx, existing.id, input.evidence ?? [], ts, false);
            if (severity !== existing.severity) await addEvent(trx, existing.id, caller, 'escalated', `Severity raised from ${existing.severity} to ${severity}.`);
            return { id: existing.id, created: false };
          }
          const id = await insertReturningId(trx, 'alerts', {
            dedup_key: input.dedupKey,
            open_key: input.dedupKey,
            source: input.source,
            severity: input.severity,
            status: 'open',
            title: input.title.slice(0, 300),
            summary: (input.summary ?? '').slice(0, 4000),
            ip: input.ip ?? null,
            user: input.user?.slice(0, 254) ?? null,
            count: 1,
            first_seen: ts,
            last_seen: ts,
            updated_at: now,
            details: JSON.stringify(input.details ?? {}),
          });
          await addEvidence(trx, id, input.evidence ?? [], ts, true);
          await addEvent(trx, id, caller, 'created', input.summary ? `Raised: ${input.summary}` : 'Raised.', { source: input.source });
          return { id, created: true };
        });
        const r = await row(result.id);
        emit(result.created ? 'created' : 'updated', r);
        const alert = summary(r);
        if (result.created) await outbox.enqueue(alert, 'alert');
        return { alert, created: result.created };
      } catch (err) {
        // Two raisers (or two panel processes) creating the same alert at once: the unique open_key lets one win; the
        // other counts a repeat.
        if (attempt >= 2 || !/unique|duplicate/i.test(String((err as Error).message))) throw err;
      }
    }
  }

  async function setStatus(caller: Caller, id: number, to: AlertStatus, note: string | null, opts: { notify: boolean }): Promise<Alert> {
    const r = await row(id);
    if (r.status === to) return present(r);
    const now = clock.now();
    const patch: Record<string, unknown> = { status: to, updated_at: now };
    if (to === 'acknowledged') patch.acknowledged_at = now;
    if (to === 'resolved') {
      patch.resolved_at = now;
      patch.open_key = null;
    }
    if (to === 'open') {
      // Reopening: only while no newer alert holds the key.
      const other = (await db('alerts').where({ open_key: r.dedup_key }).whereNot({ id }).first('id')) as { id: number } | undefined;
      if (other) throw conflict('newer_alert_open', `A newer alert for the same thing is open: #${other.id}.`);
      patch.open_key = r.dedup_key;
      patch.resolved_at = null;
    }
    const verb = to === 'acknowledged' ? 'Acknowledged' : to === 'resolved' ? 'Resolved' : 'Reopened';
    await db.transaction(async (trx) => {
      await trx('alerts').where({ id }).update(patch);
      await addEvent(trx, id, caller, to === 'open' ? 'reopened' : to, note ? `${verb}: ${note}` : `${verb}.`, note ? { note } : {});
    });
    await audit.record({ type: `alerts.${to === 'open' ? 'reopened' : to}`, ...auditFrom(caller), target: { type: 'alert', id: String(id), name: r.title }, outcome: 'success', details: note ? { note } : {} });
    const updated = await row(id);
    emit('updated', updated);
    if (to === 'resolved' && opts.notify) await outbox.enqueue(summary(updated), 'resolved', note);
    return present(updated);
  }

  return {
    raise: (input: RaiseAlert, caller: Caller = { actor: null, ip: null, userAgent: null, system: input.source }) => raise(input, caller),
    /** Resolves the unresolved alert with this dedup key, if any (a resource back to normal). */
    async resolveByKey(dedupKey: string, note: string, caller: Caller = { actor: null, ip: null, userAgent: null, system: 'panel' }): Promise<Alert | null> {
      const r = (await db<AlertRow>('alerts').where({ open_key: dedupKey }).first()) as AlertRow | undefined;
      return r ? setStatus(caller, r.id, 'resolved', note, { notify: true }) : null;
    },
    async list(q: AlertQuery): Promise<{ items: AlertSummary[]; total: number; counts: Record<AlertStatus, number> }> {
      const filtered = () => {
        const query = db<AlertRow>('alerts');
        if (q.status?.length) query.whereIn('status', q.status);
        if (q.severity?.length) query.whereIn('severity', q.severity);
        if (q.source?.length) query.whereIn('source', q.source);
        if (q.ip) query.where('ip', q.ip);
        if (q.user) query.where('user', q.user);
        if (q.assignee) query.where('assignee_id', q.assignee);
        if (q.q) {
          // '!' escapes the wildcards: a backslash would itself need escaping in MySQL's string literals.
          const like = `%${q.q.replace(/[!%_]/g, (c) => `!${c}`)}%`;
          query.where((w) => w.whereRaw("lower(title) like lower(?) escape '!'", [like]).orWhereRaw("lower(summary) like lower(?) escape '!'", [like]));
        }
        return query;
      };
      const page = filtered().limit(q.limit).offset(q.offset);
      if (q.sort === 'severity') page.orderByRaw(`${SEVERITY_ORDER} ${q.order}`).orderBy('last_seen', 'desc');
      else page.orderBy(q.sort, q.order);
      page.orderBy('id', q.order);
      const [rows, total, byStatus] = await Promise.all([
        page as unknown as Promise<AlertRow[]>,
        filtered().count({ n: '*' }).first() as unknown as Promise<{ n: number | string }>,
        db('alerts').groupBy('status').select('status').count({ n: '*' }) as unknown as Promise<Array<{ status: AlertStatus; n: number | string }>>,
      ]);
      const counts = { open: 0, acknowledged: 0, resolved: 0 };
      for (const s of byStatus) counts[s.status] = Number(s.n);
      return { items: rows.map(summary), total: Number(total.n), counts };
    },
    async get(id: number): Promise<Alert> {
      return present(await row(id));
    },
    async detail(id: number): Promise<AlertDetail> {
      const r = await row(id);
      const [events, evidenceRows] = await Promise.all([
        db<EventRow>('alert_events').where({ alert_id: id }).orderBy('id') as unknown as Promise<EventRow[]>,
        db<EvidenceRow>('alert_evidence').where({ alert_id: id }).orderBy('id') as unknown as Promise<EvidenceRow[]>,
      ]);
      const evidence = evidenceRows.map((e) => ({ ...(JSON.parse(e.data) as AlertEvidence), ts: iso(e.ts)! }));
      const auditIds = evidenceRows.filter((e) => e.kind === 'audit' && e.ref_id !== null).map((e) => e.ref_id!);
      const detectionIds = evidenceRows.filter((e) => e.kind === 'detection' && e.ref_id !== null).map((e) => e.ref_id!);
      const [auditEvents, detections, relatedAudit, relatedAlerts, deliveries] = await Promise.all([
        audit.byIds(auditIds),
        detectionIds.length
          ? (db('detections').whereIn('id', detectionIds).orderBy('id') as unknown as Promise<Array<{ id: number; rule: string; ts: number | string; count: number; outcome: string; evidence: string }>>)
          : Promise.resolve([]),
        audit.related({ ip: r.ip, user: r.user, limit: 50 }),
        r.ip || r.user
          ? (db<AlertRow>('alerts')
              .whereNot({ id })
              .andWhere((w) => {
                if (r.ip) w.orWhere('ip', r.ip);
                if (r.user) w.orWhere('user', r.user);
              })
              .orderBy('last_seen', 'desc')
              .limit(20) as unknown as Promise<AlertRow[]>)
          : Promise.resolve([]),
        outbox.deliveriesOf(id),
      ]);
      return {
        alert: await present(r),
        timeline: events.map((e) => ({
          id: e.id,
          ts: iso(e.ts)!,
          kind: e.kind,
          actor: { type: e.actor_type, id: e.actor_id, name: e.actor_name },
          text: e.text,
          data: JSON.parse(e.data) as Record<string, unknown>,
        })),
        evidence,
        auditEvents,
        detections: detections.map((d) => ({ id: d.id, rule: d.rule, ts: iso(d.ts)!, count: d.count, outcome: d.outcome, evidence: JSON.parse(d.evidence) as unknown[] })),
        related: { auditEvents: relatedAudit, alerts: relatedAlerts.map(summary) },
        deliveries,
      };
    },
    acknowledge: (caller: Caller, id: number, note: string | null) => setStatus(caller, id, 'acknowledged', note, { notify: false }),
    resolve: (caller: Caller, id: number, note: string | null) => setStatus(caller, id, 'resolved', note, { notify: true }),
    reopen: (caller: Caller, id: number, note: string | null) => setStatus(caller, id, 'open', note, { notify: false }),
    /** Acknowledges or resolves many alerts at once; each is audited and on its own timeline. */
    async bulk(caller: Caller, ids: number[], action: 'acknowledge' | 'resolve', note: string | null): Promise<{ changed: number[]; missing: number[] }> {
      const existing = new Set(((await db('alerts').whereIn('id', ids).select('id')) as Array<{ id: number }>).map((r) => r.id));
      const changed: number[] = [];
      for (const id of ids) {
        if (!existing.has(id)) continue;
        await setStatus(caller, id, action === 'acknowledge' ? 'acknowledged' : 'resolved', note, { notify: action === 'resolve' });
        changed.push(id);
      }
      return { changed, missing: ids.filter((id) => !existing.has(id)) };
    },
    async note(caller: Caller, id: number, text: string): Promise<TimelineEntry[]> {
      const r = await row(id);
      await addEvent(db, id, caller, 'note', text);
      await db('alerts').where({ id }).update({ updated_at: clock.now() });
      await audit.record({ type: 'alerts.note', ...auditFrom(caller), target: { type: 'alert', id: String(id), name: r.title }, outcome: 'success' });
      emit('updated', await row(id));
      return (await this.detail(id)).timeline;
    },
    async assign(caller: Caller, id: number, userId: string | null): Promise<Alert> {
      const r = await row(id);
      let name: string | null = null;
      if (userId !== null) {
        const u = (await db('users').where({ id: userId }).first('username', 'disabled')) as { username: string; disabled: number | boolean } | undefined;
        if (!u || u.disabled) throw notFound('User');
        name = u.username;
      }
      await db.transaction(async (trx) => {
        await trx('alerts').where({ id }).update({ assignee_id: userId, updated_at: clock.now() });
        await addEvent(trx, id, caller, 'assigned', name ? `Assigned to ${name}.` : 'Unassigned.', { assignee: userId });
      });
      await audit.record({ type: 'alerts.assigned', ...auditFrom(caller), target: { type: 'alert', id: String(id), name: r.title }, outcome: 'success', details: { assignee: name } });
      const updated = await row(id);
      emit('updated', updated);
      return present(updated);
    },
    /** Records a response taken from the alert (a ban, a disabled account) on its timeline. */
    async recordAction(caller: Caller, id: number, text: string, data: Record<string, unknown>): Promise<void> {
      await db.transaction(async (trx) => {
        await addEvent(trx, id, caller, 'action', text, data);
        await trx('alerts').where({ id }).update({ updated_at: clock.now() });
      });
      emit('updated', await row(id));
    },
    /** Deletes resolved alerts and finished notifications older than the retention; returns how many alerts went. */
    async purge(retentionMs: number): Promise<number> {
      const before = clock.now() - retentionMs;
      await db('notifications').whereIn('status', ['delivered', 'failed', 'expired']).andWhere('created_at', '<', before).delete();
      return db('alerts').where({ status: 'resolved' }).andWhere('resolved_at', '<', before).delete();
    },
    /** A change another replica made: to this replica's live inboxes. */
    hear(change: AlertChange): void {
      notify(change);
    },
    /** Live changes, for the inbox's stream; returns the unsubscribe function. */
    subscribe(listener: (change: AlertChange) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async summaries(ids: number[]): Promise<AlertSummary[]> {
      if (ids.length === 0) return [];
      const rows = (await db<AlertRow>('alerts').whereIn('id', ids.slice(0, 5000)).orderByRaw(`${SEVERITY_ORDER} desc`).orderBy('first_seen').limit(50)) as AlertRow[];
      return rows.map(summary);
    },
    row,
  };
}
