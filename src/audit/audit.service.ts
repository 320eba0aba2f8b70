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

  const client = db.client.config.client as string;
  /** A database server several panels may share (replicas): appends are serialised there, not only in this process. */
  const shared = client === 'pg' || client === 'mysql2';
  const APPEND_LOCK = 'audit.append_lock';

  /**
   * On a shared database: takes the cluster-wide append lock for this transaction (PostgreSQL: an advisory lock;
   * MySQL/MariaDB: a lock on one settings row), then reads the head as committed by any panel.
   */
  async function lockedHead(trx: Db): Promise<{ id: number; hash: string }> {
    if (client === 'pg') await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [APPEND_LOCK]);
    else await trx('settings').where({ key: APPEND_LOCK }).forUpdate().first('key');
    const q = trx('audit_events').select('id', 'hash').orderBy('id', 'desc');
    const row = (await (client === 'mysql2' ? q.forUpdate() : q).first()) as { id: number | string; hash: string } | undefined;
    return row ? { id: Number(row.id), hash: row.hash } : { id: 0, hash: GENESIS_HASH };
  }

  let lockRow: Promise<void> | null = null;
  /** MySQL/MariaDB lock a row, which must exist: made once (by whichever panel comes first). */
  function ensureLockRow(): Promise<void> {
    lockRow ??= (async () => {
      if (client !== 'mysql2') return;
      await db('settings').insert({ key: APPEND_LOCK, value: 'null', updated_at: clock.now() }).onConflict('key').ignore();
    })();
    return lockRow;
  }

  function published(event: AuditEvent): AuditEvent {
    head = { id: event.id, hash: event.hash };
    sink.write(event);
    bus.publish(event);
    return event;
  }

  async function append(input: AuditInput): Promise<AuditEvent> {
    if (shared) {
      await ensureLockRow();
      // SECURITY: one append at a time across every replica, so the chain can neither fork nor lose an event. A
      // deadlock or lost connection is retried; the event is built again on the head as it is then.
      for (let attempt = 0; ; attempt += 1) {
        try {
          return published(
            await db.transaction(async (trx) => {
              const event = build(input, await lockedHead(trx));
              await trx('audit_events').insert(toRow(event));
              return event;
            }),
          );
        } catch (err) {
          if (attempt >= 5) throw err;
        }
      }
    }
    // SQLite: one panel; another writer (the CLI) fails the insert on the primary key with a stale head, and the
    // append is retried on the head read again.
    for (let attempt = 0; ; attempt += 1) {
      const event = build(input, await loadHead());
      try {
        await db('audit_events').insert(toRow(event));
        return published(event);
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
