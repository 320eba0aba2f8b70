// The outbox: every notification is a database row before it is a message. A sender claims due rows, delivers them
// through the channel's provider, and retries failures with exponential backoff until delivered or expired, across
// restarts. Past a channel's rate limit, alerts are gathered into one digest sent when the limit allows.
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import type { AlertSummary } from './alerts.types.ts';
import type { ChannelsService, LiveChannel } from './channels.service.ts';
import { alertMessage, digestMessage, resolvedMessage } from './messages.ts';
import { DeliveryError, type NotificationMessage } from './providers/provider.ts';

export type OutboxOptions = {
  /** First retry after this long; each further one waits twice as long, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A notification not delivered within this long after it was written is given up (expired). */
  expireMs: number;
  /** How often due notifications are looked for (new ones are sent at once). */
  pollMs: number;
  sendTimeoutMs: number;
};

export type NotificationStatus = 'held' | 'pending' | 'delivered' | 'failed' | 'expired';

export type Delivery = {
  id: string;
  channelId: string;
  channelName: string | null;
  kind: NotificationMessage['kind'];
  status: NotificationStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
};

type Row = {
  id: string;
  channel_id: string;
  alert_id: number | null;
  kind: NotificationMessage['kind'];
  status: NotificationStatus;
  payload: string;
  attempts: number;
  created_at: number | string;
  next_attempt_at: number | string;
  expires_at: number | string;
  delivered_at: number | string | null;
  last_error: string | null;
};

type Draft = Omit<NotificationMessage, 'id' | 'createdAt'>;

/** At most this many alerts are listed in a digest; the rest are counted. */
const DIGEST_LISTED = 50;
const CLAIM_BATCH = 50;
/** A notification still failing after this many attempts makes the channel's trouble an alert of its own. */
const TROUBLE_AFTER_ATTEMPTS = 5;

const iso = (v: number | string | null): string | null => (v === null ? null : new Date(Number(v)).toISOString());

export type Outbox = ReturnType<typeof createOutbox>;

export function createOutbox(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  channels: ChannelsService;
  options: OutboxOptions;
  /** The alerts of a digest, as they are now (first DIGEST_LISTED by severity and time). */
  summaries(ids: number[]): Promise<AlertSummary[]>;
  inboxUrl: string | null;
  /** A channel keeps failing (a notification given up, or still failing after several tries) or works again. */
  onChannelTrouble?: (channel: LiveChannel, reason: string) => Promise<void>;
  onChannelWorks?: (channel: LiveChannel) => Promise<void>;
}) {
  const { db, clock, logger, channels, options } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;

  /** Exponential backoff with ±20 % jitter, so many failed notifications do not retry in lockstep. */
  function backoff(attempts: number): number {
    const base = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  async function enqueueOn(channel: LiveChannel, draft: Draft, alertId: number): Promise<void> {
    const now = clock.now();
    const windowMs = channel.rateLimit.windowSeconds * 1000;
    await db.transaction(async (trx) => {
      const recent = (await trx('notifications')
        .where({ channel_id: channel.id })
        .whereIn('kind', ['alert', 'resolved'])
        .andWhere('created_at', '>', now - windowMs)
        .count({ n: '*' })
        .min({ oldest: 'created_at' })
        .first()) as { n: number | string; oldest: number | string | null };
      if (Number(recent.n) < channel.rateLimit.max) {
        const id = newId();
        await trx('notifications').insert({
          id,
          channel_id: channel.id,
          alert_id: alertId,
          kind: draft.kind,
          status: 'pending',
          payload: JSON.stringify(draft),
          attempts: 0,
          created_at: now,
          next_attempt_at: now,
          expires_at: now + options.expireMs,
        });
        await trx('notification_alerts').insert({ notification_id: id, alert_id: alertId });
        return;
      }
      // SECURITY: a storm (a flood of detections) must not become a flood of mail: past the limit, one digest.
      const held = (await trx('notifications').where({ channel_id: channel.id, kind: 'digest', status: 'held' }).first('id')) as { id: string } | undefined;
      let digestId = held?.id;
      if (!digestId) {
        digestId = newId();
        const due = Number(recent.oldest ?? now) + windowMs;
        await trx('notifications').insert({
          id: digestId,
          channel_id: channel.id,
          alert_id: null,
          kind: 'digest',
          status: 'held',
          payload: JSON.stringify({ windowSeconds: channel.rateLimit.windowSeconds }),
          attempts: 0,
          created_at: now,
          next_attempt_at: due,
          expires_at: due + options.expireMs,
        });
      }
      const linked = await trx('notification_alerts').where({ notification_id: digestId, alert_id: alertId }).first('alert_id');
      if (!linked) await trx('notification_alerts').insert({ notification_id: digestId, alert_id: alertId });
    });
  }

  /** Held digests whose time has come get their final text and become ordinary pending notifications. */
  async function releaseDigests(now: number): Promise<void> {
    const due = (await db<Row>('notifications').where({ status: 'held' }).andWhere('next_attempt_at', '<=', now).select('id', 'payload')) as Array<Pick<Row, 'id' | 'payload'>>;
    for (const d of due) {
      const ids = ((await db('notification_alerts').where({ notification_id: d.id }).select('alert_id')) as Array<{ alert_id: number }>).map((r) => r.alert_id);
      const { windowSeconds } = JSON.parse(d.payload) as { windowSeconds: number };
      const listed = await deps.summaries(ids);
      const draft = digestMessage(listed.slice(0, DIGEST_LISTED), ids.length, windowSeconds, deps.inboxUrl);
      await db('notifications').where({ id: d.id, status: 'held' }).update({ status: 'pending', payload: JSON.stringify(draft), next_attempt_at: now });
    }
  }

  /** Claims a due row for this sender; false when another sender (or process) has it. */
  async function claim(id: string, now: number): Promise<boolean> {
    const n = await db('notifications')
      .where({ id, status: 'pending' })
      .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now))
      .update({ claimed_until: now + options.sendTimeoutMs * 2 + 5_000 });
    return n === 1;
  }

  async function deliver(row: Row, channel: LiveChannel | null): Promise<void> {
    const now = clock.now();
    if (!channel) {
      await db('notifications').where({ id: row.id }).update({ status: 'failed', last_error: 'the channel type is no longer available', claimed_until: null });
      return;
    }
    const message: NotificationMessage = { ...(JSON.parse(row.payload) as Draft), id: row.id, createdAt: iso(row.created_at)! };
    const attempts = row.attempts + 1;
    try {
      await channel.provider.send(channel.secretConfig, message, { timeoutMs: options.sendTimeoutMs, allowPrivateNetwork: channel.allowPrivateNetwork });
    } catch (err) {
      const permanent = err instanceof DeliveryError && err.permanent;
      const reason = err instanceof DeliveryError ? err.message : 'the message could not be sent';
      const next = clock.now() + backoff(attempts);
      const expired = next >= Number(row.expires_at);
      const status: NotificationStatus = permanent ? 'failed' : expired ? 'expired' : 'pending';
      await db('notifications').where({ id: row.id }).update({ status, attempts, next_attempt_at: next, last_error: reason.slice(0, 500), claimed_until: null });
      await channels.recordDelivery(channel.id, reason);
      const log = status === 'pending' ? logger.warn.bind(logger) : logger.error.bind(logger);
      log({ notification: row.id, channel: channel.name, kind: row.kind, attempts, status, reason }, status === 'pending' ? 'notification not delivered; will retry' : 'notification given up');
      if (status !== 'pending' || attempts === TROUBLE_AFTER_ATTEMPTS) await deps.onChannelTrouble?.(channel, reason);
      return;
    }
    await db('notifications').where({ id: row.id }).update({ status: 'delivered', attempts, delivered_at: clock.now(), last_error: null, claimed_until: null });
    await channels.recordDelivery(channel.id, null);
    await deps.onChannelWorks?.(channel);
    logger.info({ notification: row.id, channel: channel.name, kind: row.kind, attempts, waitedMs: now - Number(row.created_at) }, 'notification delivered');
  }

  /** One pass: expire what is too old, release due digests, then deliver every due notification (per channel in order). */
  async function pass(): Promise<void> {
    const now = clock.now();
    await db('notifications').whereIn('status', ['pending', 'held']).andWhere('expires_at', '<=', now).update({ status: 'expired', last_error: db.raw('coalesce(last_error, ?)', ['expired before it could be sent']) });
    await releaseDigests(now);
    const enabled = new Map((await channels.active()).map((c) => [c.id, c]));
    // A paused channel's notifications wait (and expire in time); a deleted channel's are gone with it.
    const due = (await db<Row>('notifications')
      .where({ status: 'pending' })
      .andWhere('next_attempt_at', '<=', now)
      .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now))
      .whereIn('channel_id', [...enabled.keys()])
      .orderBy('created_at')
      .limit(CLAIM_BATCH)) as Row[];
    const byChannel = new Map<string, Row[]>();
    for (const r of due) byChannel.set(r.channel_id, [...(byChannel.get(r.channel_id) ?? []), r]);
    await Promise.all(
      [...byChannel].map(async ([channelId, rows]) => {
        for (const r of rows) if (await claim(r.id, now)) await deliver(r, enabled.get(channelId) ?? null);
      }),
    );
    if (due.length === CLAIM_BATCH) again = true;
  }

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  }

  function run(): void {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((err: unknown) => logger.error({ err }, 'outbox pass failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          schedule(0);
        } else schedule(options.pollMs);
      });
  }

  return {
    /** Writes the notifications an alert (or its resolution) calls for, one per routed channel; sent soon after. */
    async enqueue(alert: AlertSummary, kind: 'alert' | 'resolved', note: string | null = null): Promise<number> {
      let n = 0;
      for (const channel of await channels.active()) {
        if (!channels.routes(channel, alert.severity, alert.source)) continue;
        if (kind === 'resolved' && !channel.sendOnResolve) continue;
        await enqueueOn(channel, kind === 'alert' ? alertMessage(alert) : resolvedMessage(alert, note), alert.id);
        n += 1;
      }
      if (n > 0) schedule(0);
      return n;
    },
    /** Every notification sent (or to be sent) about an alert, digests included. */
    async deliveriesOf(alertId: number): Promise<Delivery[]> {
      const rows = (await db('notification_alerts as na')
        .join('notifications as n', 'n.id', 'na.notification_id')
        .leftJoin('alert_channels as c', 'c.id', 'n.channel_id')
        .where('na.alert_id', alertId)
        .orderBy('n.created_at')
        .select('n.*', 'c.name as channel_name')) as Array<Row & { channel_name: string | null }>;
      return rows.map((r) => ({
        id: r.id,
        channelId: r.channel_id,
        channelName: r.channel_name,
        kind: r.kind,
        status: r.status,
        attempts: r.attempts,
        createdAt: iso(r.created_at)!,
        nextAttemptAt: r.status === 'pending' || r.status === 'held' ? iso(r.next_attempt_at) : null,
        deliveredAt: iso(r.delivered_at),
        lastError: r.last_error,
      }));
    },
    /** Runs one pass now and waits for it (tests, and the CLI). */
    async flush(): Promise<void> {
      while (running) await running;
      await pass();
    },
    start(): void {
      stopped = false;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      while (running) await running;
    },
  };
}
