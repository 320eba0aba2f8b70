// Replicas sharing one Redis: every replica hands its monitor events (audit events, API requests, log lines) to one
// Redis stream, and the replica holding the evaluator lease runs them all through its rules. A brute force spread
// over several replicas is then seen as one; its detection is stored, alerted and banned once.
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.ts';
import type { MonitorEvent } from './event.ts';

export type EvaluationRole = 'leader' | 'follower';

export type SharedFeed = {
  /** Queues an event for the evaluator; events Redis does not take are evaluated here instead. */
  publish(ev: MonitorEvent): void;
  role(): EvaluationRole;
  /** Sends what is queued now (tests, stop). */
  flush(): Promise<void>;
  stop(): Promise<void>;
};

const BATCH = 500;
const STREAM_MAX = 100_000;
const MAX_PENDING = 50_000;
/** Where a new evaluator starts when no cursor was saved: this far back in the stream. */
const FIRST_LOOK_BACK_MS = 60_000;

// Renews the lease only for its holder (another replica may hold it after a pause longer than the lease).
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const SAVE_CURSOR = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2]) return 1 else return 0 end";

export function createSharedFeed(deps: {
  redis: Redis;
  prefix: string;
  /** This replica's name in the lease (unique per process). */
  instance: string;
  /** Runs an event through this replica's rules. */
  evaluate: (ev: MonitorEvent) => void;
  logger: Logger;
  leaseMs?: number;
  blockMs?: number;
}): SharedFeed {
  const { redis, evaluate, logger } = deps;
  const leaseMs = deps.leaseMs ?? 10_000;
  const blockMs = deps.blockMs ?? 1000;
  const keys = { stream: `${deps.prefix}monitor:events`, lease: `${deps.prefix}monitor:evaluator`, cursor: `${deps.prefix}monitor:cursor` };
  // A blocking read holds its connection: the reader has its own.
  const reader = redis.duplicate();
  reader.on('error', () => undefined);

  let pending: MonitorEvent[] = [];
  let flushing: Promise<void> | null = null;
  let leader = false;
  let renewedAt = 0;
  let stopped = false;
  let unreachable = false;

  async function send(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, BATCH);
      pending = pending.slice(batch.length);
      const pipe = redis.pipeline();
      for (const ev of batch) pipe.xadd(keys.stream, 'MAXLEN', '~', String(STREAM_MAX), '*', 'e', JSON.stringify(ev));
      const results = await pipe.exec().catch((err: unknown) => [[err as Error, null]] as Array<[Error | null, unknown]>);
      const failed = results === null || results.length !== batch.length || results.some(([err]) => err);
      if (failed) {
        // SECURITY: an event Redis did not take is still evaluated, by this replica alone, rather than lost.
        for (const ev of batch) evaluate(ev);
      }
    }
  }

  function scheduleFlush(): Promise<void> {
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(send)
      .catch((err: unknown) => logger.warn({ err }, 'handing monitor events to Redis failed'))
      .finally(() => {
        flushing = null;
        if (pending.length > 0) void scheduleFlush();
      });
    return flushing;
  }

  async function acquire(): Promise<boolean> {
    const got = await redis.set(keys.lease, deps.instance, 'PX', leaseMs, 'NX');
    if (got !== 'OK') return false;
    renewedAt = Date.now();
    logger.info({ instance: deps.instance }, 'this replica evaluates the monitor rules for every replica');
    return true;
  }

  async function renew(): Promise<boolean> {
    if (Date.now() - renewedAt < leaseMs / 3) return true;
    const ok = (await redis.eval(RENEW, 1, keys.lease, deps.instance, String(leaseMs))) === 1;
    if (ok) renewedAt = Date.now();
    else logger.warn({ instance: deps.instance }, 'another replica evaluates the monitor rules now');
    return ok;
  }

  async function startCursor(): Promise<string> {
    return (await redis.get(keys.cursor)) ?? `${Date.now() - FIRST_LOOK_BACK_MS}-0`;
  }

  // A pause the stop ends at once.
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = null;
    });

  async function loop(): Promise<void> {
    let cursor = '';
    while (!stopped) {
      try {
        if (!leader) {
          leader = await acquire();
          if (!leader) {
            await sleep(Math.min(2000, leaseMs / 2));
            continue;
          }
          cursor = await startCursor();
        }
        if (!(await renew())) {
          leader = false;
          continue;
        }
        const res = (await reader.xread('COUNT', BATCH, 'BLOCK', blockMs, 'STREAMS', keys.stream, cursor)) as Array<[string, Array<[string, string[]]>]> | null;
        if (stopped || !res) continue;
        for (const [, entries] of res) {
          for (const [id, fields] of entries) {
            cursor = id;
            const at = fields.indexOf('e');
            if (at < 0) continue;
            try {
              evaluate(JSON.parse(fields[at + 1]!) as MonitorEvent);
            } catch (err) {
              logger.warn({ err, id }, 'a monitor event in Redis could not be read');
            }
          }
        }
        // The next evaluator goes on from here; a replica that lost the lease meanwhile saves nothing.
        if ((await redis.eval(SAVE_CURSOR, 2, keys.lease, keys.cursor, deps.instance, cursor)) !== 1) leader = false;
        unreachable = false;
      } catch (err) {
        if (stopped) break;
        if (!unreachable) logger.warn({ err: { message: (err as Error).message } }, 'the shared monitor feed cannot reach Redis; each replica evaluates its own events meanwhile');
        unreachable = true;
        await sleep(1000);
      }
    }
  }

  const running = loop();

  return {
    publish(ev) {
      // Redis slower than the events come: the overflow is evaluated here.
      if (pending.length >= MAX_PENDING) return evaluate(ev);
      pending.push(ev);
      void scheduleFlush();
    },
    role: () => (leader ? 'leader' : 'follower'),
    async flush() {
      while (flushing || pending.length > 0) await (flushing ?? scheduleFlush());
    },
    async stop() {
      stopped = true;
      wake?.();
      await this.flush().catch(() => undefined);
      reader.disconnect();
      await running.catch(() => undefined);
      if (leader) await redis.eval(RELEASE, 1, keys.lease, deps.instance).catch(() => undefined);
      leader = false;
    },
  };
}
