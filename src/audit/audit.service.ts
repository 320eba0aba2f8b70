// audit.record(): appends an event to the hash chain in the database, to audit.log and to the event bus; and reads it back.
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { GENESIS_HASH, hashEvent } from './audit.chain.ts';
import { fromRow, toRow, type AuditRow } from './audit.rows.ts';
import type { AuditSink } from './audit.sink.ts';
import type { AuditEvent, AuditInput } from './audit.types.ts';
import type { EventBus } from './event-bus.ts';

export type AuditQuery = {
  type?: string | undefined;
  actor?: string | undefined;
  ip?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Return events with an id below this one (the cursor). */
  beforeId?: number | undefined;
  limit: number;
};

export type AuditService = {
  record(input: AuditInput): Promise<AuditEvent>;
  list(query: AuditQuery): Promise<AuditEvent[]>;
  /** The events with these ids (evidence of an alert), oldest first. */
  byIds(ids: readonly number[]): Promise<AuditEvent[]>;
  /** The newest events from an address or by or about a user name: what else happened around an alert. */
  related(q: { ip: string | null; user: string | null; limit: number }): Promise<AuditEvent[]>;
};

const clip = (s: string | null | undefined, max: number): string | null => (s == null ? null : s.length > max ? s.slice(0, max) : s);

export function createAuditService(deps: { db: Db; clock: Clock; sink: AuditSink; bus: EventBus; logger: Logger }): AuditService {
  const { db, clock, sink, bus, logger } = deps;
  let head: { id: number; hash: string } | null = null;
  // SECURITY: appends are serialised so two concurrent events can never fork the chain.
  let queue: Promise<unknown> = Promise.resolve();

  async function loadHead(): Promise<{ id: number; hash: string }> {
    if (head) return head;
    const row = (await db('audit_events').select('id', 'hash').orderBy('id', 'desc').first()) as
      | { id: number | string; hash: string }
      | undefined;
    head = row ? { id: Number(row.id), hash: row.hash } : { id: 0, hash: GENESIS_HASH };
    return head;
  }

  function build(input: AuditInput, prev: { id: number; hash: string }): AuditEvent {
    const base: Omit<AuditEvent, 'hash'> = {
      id: prev.id + 1,
      ts: clock.now(),
      type: input.type,
      actor: { type: input.actor.type, id: clip(input.actor.id, 64), name: clip(input.actor.name, 254) },
      ip: clip(input.ip, 64),
      userAgent: clip(input.userAgent, 512),
      target: {
        type: clip(input.target?.type, 32),
        id: clip(input.target?.id, 64),
        name: clip(input.target?.name, 254),
      },
      outcome: input.outcome,
      details: JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>,
      prevHash: prev.hash,
    };
    return { ...base, hash: hashEvent(base) };
  }

  /**
   * The event with every NUL in its text (a name someone typed, say) replaced by U+FFFD: PostgreSQL stores no NUL, and
   * an event the database refuses would be an event lost.
   */
  function withoutNul<T>(value: T): T {
    if (typeof value === 'string') return (value.includes('\u0000') ? value.replace(/\u0000/g, '\ufffd') : value) as T;
    if (Array.isArray(value)) return value.map(withoutNul) as T;
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
    return value;
  }

  async function append(input: AuditInput): Promise<AuditEvent> {
    // Another process (the CLI, another replica) may have appended since the head was cached: the id is the
    // primary key, so a stale head fails the insert instead of forking the chain, and the append is retried.
    for (let attempt = 0; ; attempt += 1) {
      const event = build(input, await loadHead());
      try {
        await db('audit_events').insert(toRow(event));
        head = { id: event.id, hash: event.hash };
        sink.write(event);
        bus.publish(event);
        return event;
      } catch (err) {
        head = null;
        if (attempt >= 5) throw err;
      }
    }
  }

  return {
    record(input) {
      const run = queue.then(() => append(withoutNul(input)));
      queue = run.catch((err: unknown) => logger.error({ err, type: input.type }, 'audit append failed'));
      return run;
    },
    async list(q) {
      const query = db<AuditRow>('audit_events').select('*').orderBy('id', 'desc').limit(q.limit);
      if (q.type) {
        // A trailing ".*" or "." selects a family of event types (auth.*).
        if (q.type.endsWith('*')) {
          const prefix = q.type.slice(0, -1);
          query.where('type', '>=', prefix).andWhere('type', '<', `${prefix}\uffff`);
        }
        else query.where('type', q.type);
      }
      if (q.actor) query.where((w) => w.where('actor_id', q.actor).orWhere('actor_name', q.actor));
      if (q.ip) query.where('ip', q.ip);
      if (q.from !== undefined) query.where('ts', '>=', q.from);
      if (q.to !== undefined) query.where('ts', '<=', q.to);
      if (q.beforeId !== undefined) query.where('id', '<', q.beforeId);
      return (await query).map(fromRow);
    },
    async byIds(ids) {
      if (ids.length === 0) return [];
      return ((await db<AuditRow>('audit_events').whereIn('id', ids.slice(0, 500)).orderBy('id')) as AuditRow[]).map(fromRow);
    },
    async related({ ip, user, limit }) {
      if (!ip && !user) return [];
      const query = db<AuditRow>('audit_events')
        .where((w) => {
          if (ip) w.orWhere('ip', ip);
          if (user) w.orWhere('actor_name', user).orWhere('target_name', user);
        })
        .orderBy('id', 'desc')
        .limit(limit);
      return ((await query) as AuditRow[]).map(fromRow);
    },
  };
}
