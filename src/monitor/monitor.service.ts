// The live monitor: the panel's audit events and API requests through the rules; detections stored with evidence, bans applied.
import type { Redis } from 'ioredis';
import type { AuditService, EventBus } from '../audit/index.ts';
import { systemCaller } from '../auth/caller.ts';
import { insertReturningId, type Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { BansService } from './bans.service.ts';
import { createEngine, type Detection } from './engine/engine.ts';
import type { MonitorEvent } from './event.ts';
import { fromAudit } from './parsers/index.ts';
import type { LoadedRule } from './rules/loader.ts';
import { createSharedFeed, type EvaluationRole } from './shared-feed.ts';

export type StoredDetection = {
  id: number;
  rule: string;
  severity: string;
  key: string;
  ip: string | null;
  user: string | null;
  ts: string;
  count: number;
  simulated: boolean;
  outcome: string;
  evidence: MonitorEvent[];
  details: Record<string, unknown>;
};

type DetectionRow = { id: number; rule: string; severity: string; key: string; ip: string | null; user: string | null; ts: number | string; count: number; simulated: number | boolean; outcome: string; evidence: string; details: string };

export type MonitorService = ReturnType<typeof createMonitorService>;

const caller = systemCaller('monitor');

export function createMonitorService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bus: EventBus;
  bans: BansService;
  rules: readonly LoadedRule[];
  logger: Logger;
  /** Called for every stored detection of a rule whose actions include alert (the alert inbox). */
  onAlert?: (d: Detection, stored: { id: number; outcome: string }) => Promise<void>;
  /** Replicas sharing a Redis: one of them evaluates every replica's events (shared-feed.ts). */
  shared?: { redis: Redis; prefix: string; instance: string } | null;
}) {
  const { db, bans, logger } = deps;

  /** Detections are handled one after another, in the order they happened. */
  let queue: Promise<void> = Promise.resolve();

  async function act(d: Detection): Promise<void> {
    const outcome: string[] = [];
    const detectionId = await insertReturningId(db, 'detections', {
      rule: d.rule,
      severity: d.severity,
      key: d.key.slice(0, 300),
      ip: d.ip,
      user: d.user?.slice(0, 254) ?? null,
      ts: d.ts,
      count: d.count,
      simulated: d.simulate,
      outcome: '',
      evidence: JSON.stringify(d.evidence.slice(-20)),
      details: JSON.stringify(d.details),
    });
    if (d.actions.includes('ban') && d.ip) {
      if (d.simulate) outcome.push('ban simulated');
      else {
        const res = await bans.ban(caller, {
          ip: d.ip,
          durationMs: d.ban.duration,
          growth: { factor: d.ban.factor, maxMs: d.ban.max },
          reason: `rule ${d.rule}: ${d.count} events for ${d.key}`,
          rule: d.rule,
          detectionId,
          guardAdminSessions: !d.banAdminSessions,
        });
        outcome.push(res.banned ? `banned until ${res.ban.expiresAt ?? 'lifted'}` : `not banned: ${res.reason}`);
      }
    }
    if (outcome.length) await db('detections').where({ id: detectionId }).update({ outcome: outcome.join('; ') });
    if (d.actions.includes('alert') && deps.onAlert) await deps.onAlert(d, { id: detectionId, outcome: outcome.join('; ') });
  }

  const engine = createEngine(deps.rules, (d) => {
    queue = queue.then(() => act(d)).catch((err: unknown) => logger.error({ err, rule: d.rule }, 'acting on a detection failed'));
  });

  const evaluate = (ev: MonitorEvent): void => engine.feed(ev);
  const shared = deps.shared && deps.rules.length > 0 ? createSharedFeed({ ...deps.shared, evaluate, logger }) : null;
  const input = shared ? (ev: MonitorEvent) => shared.publish(ev) : evaluate;

  // The panel's own security events, as they are recorded.
  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type.startsWith('monitor.')) return;
    input(fromAudit(event));
  });

  const present = (r: DetectionRow): StoredDetection => ({
    id: r.id,
    rule: r.rule,
    severity: r.severity,
    key: r.key,
    ip: r.ip,
    user: r.user,
    ts: new Date(Number(r.ts)).toISOString(),
    count: r.count,
    simulated: Boolean(r.simulated),
    outcome: r.outcome,
    evidence: JSON.parse(r.evidence) as MonitorEvent[],
    details: JSON.parse(r.details) as Record<string, unknown>,
  });

  return {
    rules: deps.rules,
    /** One event from outside the audit trail (an API request, a log line); evaluated at once, or by the replica evaluating for all. */
    feed(ev: MonitorEvent): void {
      input(ev);
    },
    /** Resolves when every detection so far has been stored and acted on (and, with replicas, every event handed on). */
    settled: async () => {
      await shared?.flush();
      await queue;
    },
    stats: () => engine.stats(),
    /** Where this replica's events are evaluated: here alone, or by the replica holding the evaluator lease. */
    evaluation: (): 'local' | EvaluationRole => (shared ? shared.role() : 'local'),
    async detections(opts: { limit: number; rule?: string | undefined; ip?: string | undefined; beforeId?: number | undefined }): Promise<StoredDetection[]> {
      const q = db<DetectionRow>('detections').orderBy('id', 'desc').limit(opts.limit);
      if (opts.rule) q.where({ rule: opts.rule });
      if (opts.ip) q.where({ ip: opts.ip });
      if (opts.beforeId !== undefined) q.where('id', '<', opts.beforeId);
      return ((await q) as DetectionRow[]).map(present);
    },
    async stop(): Promise<void> {
      unsubscribe();
      await shared?.stop();
    },
  };
}
