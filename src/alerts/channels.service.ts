// Notification channels: created through the API with a provider's config (kept encrypted), routed by severity and
// source, rate-limited into digests, and tested with one click.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import { can } from '../auth/permissions.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { severityRank, type AlertSource, type Severity } from './alerts.types.ts';
import { testMessage } from './messages.ts';
import { checkTarget } from './providers/net-guard.ts';
import { DeliveryError, type ChannelProvider, type NotificationMessage } from './providers/provider.ts';
import { getProvider } from './providers/registry.ts';

type ChannelRow = {
  id: string;
  name: string;
  type: string;
  enabled: number | boolean;
  config_sealed: string;
  config_public: string;
  min_severity: string;
  sources: string | null;
  send_on_resolve: number | boolean;
  rate_max: number;
  rate_window_seconds: number;
  allow_private_network: number | boolean;
  created_by: string | null;
  created_at: number | string;
  updated_at: number | string;
  last_delivered_at: number | string | null;
  last_failed_at: number | string | null;
  last_error: string | null;
};

export type RateLimit = { max: number; windowSeconds: number };

export type PublicChannel = {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
  /** The provider's config with its secrets replaced. */
  config: Record<string, unknown>;
  minSeverity: Severity;
  /** Alert sources routed to this channel; null for all. */
  sources: AlertSource[] | null;
  sendOnResolve: boolean;
  rateLimit: RateLimit;
  allowPrivateNetwork: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastDeliveredAt: string | null;
  lastFailedAt: string | null;
  lastError: string | null;
};

/** A channel ready to send: its provider and its decrypted config. */
export type LiveChannel = PublicChannel & { provider: ChannelProvider; secretConfig: unknown };

export type ChannelInput = {
  type: string;
  name: string;
  enabled: boolean;
  config: unknown;
  minSeverity: Severity;
  sources: AlertSource[] | null;
  sendOnResolve: boolean;
  rateLimit: RateLimit;
  allowPrivateNetwork: boolean;
};

export type ChannelPatch = Partial<Omit<ChannelInput, 'type'>>;

export const DEFAULT_RATE_LIMIT: RateLimit = { max: 10, windowSeconds: 600 };

const iso = (v: number | string | null): string | null => (v === null ? null : new Date(Number(v)).toISOString());

/** zod issues of a provider's config, as the API's error details. */
function configError(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): AppError {
  const details = issues.slice(0, 20).map((i) => ({ path: ['config', ...i.path.map(String)].join('.'), message: i.message }));
  return badRequest('invalid_config', `The channel config is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { issues: details });
}

export type ChannelsService = ReturnType<typeof createChannelsService>;

export function createChannelsService(deps: { db: Db; clock: Clock; audit: AuditService; box: SecretBox; inboxUrl: string | null; sendTimeoutMs: number }) {
  const { db, clock, audit, box } = deps;
  // A change made on another replica (sharing the database) is used here within this long.
  const CACHE_MS = 1_000;
  let cache: { at: number; channels: LiveChannel[] } | null = null;

  const present = (r: ChannelRow): PublicChannel => ({
    id: r.id,
    name: r.name,
    type: r.type,
    enabled: Boolean(r.enabled),
    config: JSON.parse(r.config_public) as Record<string, unknown>,
    minSeverity: r.min_severity as Severity,
    sources: r.sources === null ? null : (JSON.parse(r.sources) as AlertSource[]),
    sendOnResolve: Boolean(r.send_on_resolve),
    rateLimit: { max: r.rate_max, windowSeconds: r.rate_window_seconds },
    allowPrivateNetwork: Boolean(r.allow_private_network),
    createdBy: r.created_by,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lastDeliveredAt: iso(r.last_delivered_at),
    lastFailedAt: iso(r.last_failed_at),
    lastError: r.last_error,
  });

  function live(r: ChannelRow): LiveChannel | null {
    const provider = getProvider(r.type);
    if (!provider) return null;
    return { ...present(r), provider, secretConfig: JSON.parse(box.open(r.config_sealed, `alert_channel:${r.id}`)) as unknown };
  }

  async function row(id: string): Promise<ChannelRow> {
    const r = (await db<ChannelRow>('alert_channels').where({ id }).first()) as ChannelRow | undefined;
    if (!r) throw notFound('Channel');
    return r;
  }

  function validConfig(type: string, config: unknown, allowPrivateNetwork: boolean): { provider: ChannelProvider; config: unknown } {
    const provider = getProvider(type);
    if (!provider) throw badRequest('unknown_channel_type', `Unknown channel type "${type}".`);
    const parsed = provider.configSchema.safeParse(config);
    if (!parsed.success) throw configError(parsed.error.issues);
    // SECURITY: a receiver URL naming a loopback or private address is refused when saved, not only when sending (where
    // names are checked again on the addresses they resolve to).
    const url = (parsed.data as { url?: unknown }).url;
    if (typeof url === 'string') {
      try {
        checkTarget(url, allowPrivateNetwork);
      } catch (err) {
        if (err instanceof DeliveryError) throw badRequest('private_target', `The receiver URL is not allowed: ${err.message}.`);
        throw err;
      }
    }
    return { provider, config: parsed.data };
  }

  // SECURITY: reaching loopback and private addresses (the panel's own host, cloud metadata) is an administrator's call.
  function guardPrivate(caller: Caller, allow: boolean | undefined): void {
    if (allow && !can(caller.actor, 'admin')) throw forbidden('forbidden', 'Only an administrator may let a channel reach private or loopback addresses.');
  }

  const changed = () => {
    cache = null;
  };

  async function recordDelivery(id: string, error: string | null): Promise<void> {
    const now = clock.now();
    await db('alert_channels')
      .where({ id })
      .update(error === null ? { last_delivered_at: now } : { last_failed_at: now, last_error: error.slice(0, 500) });
  }

  async function unique(name: string, exceptId: string | null): Promise<void> {
    const other = (await db('alert_channels').whereRaw('lower(name) = ?', [name.toLowerCase()]).first('id')) as { id: string } | undefined;
    if (other && other.id !== exceptId) throw conflict('name_taken', `A channel named "${name}" exists already.`);
  }

  return {
    async list(): Promise<PublicChannel[]> {
      return ((await db<ChannelRow>('alert_channels').orderBy('name')) as ChannelRow[]).map(present);
    },
    async get(id: string): Promise<PublicChannel> {
      return present(await row(id));
    },
    /** Enabled channels with their providers and secrets, for the outbox (cached briefly; dropped on every change). */
    async active(): Promise<LiveChannel[]> {
      const now = clock.now();
      if (cache && now - cache.at < CACHE_MS) return cache.channels;
      const rows = (await db<ChannelRow>('alert_channels').where({ enabled: true })) as ChannelRow[];
      const channels = rows.map(live).filter((c): c is LiveChannel => c !== null);
      cache = { at: now, channels };
      return channels;
    },
    /**
     * Sends one message to each of these people's addresses through the first enabled e-mail channel (its SMTP
     * server and sender), one e-mail each so nobody sees the others' addresses. Used by the lockdown to tell the users
     * it affects; says how many were sent and which channel sent them (null: no e-mail channel is set up).
     */
    async mailPeople(addresses: readonly string[], subject: string, text: string): Promise<{ channel: string | null; sent: number; failed: number }> {
      const email = (await this.active()).find((c) => c.type === 'email');
      if (!email) return { channel: null, sent: 0, failed: 0 };
      let sent = 0;
      let failed = 0;
      for (const to of addresses) {
        const message: NotificationMessage = { id: newId(), kind: 'test', subject, text, severity: null, alerts: [], total: 0, url: deps.inboxUrl, createdAt: new Date(clock.now()).toISOString() };
        try {
          await email.provider.send({ ...(email.secretConfig as Record<string, unknown>), to: [to] }, message, { timeoutMs: deps.sendTimeoutMs, allowPrivateNetwork: email.allowPrivateNetwork });
          sent += 1;
        } catch {
          failed += 1;
        }
      }
      return { channel: email.name, sent, failed };
    },
    /** One channel ready to send, enabled or not; null when it was deleted or its type is gone. */
    async live(id: string): Promise<LiveChannel | null> {
      const r = (await db<ChannelRow>('alert_channels').where({ id }).first()) as ChannelRow | undefined;
      return r ? live(r) : null;
    },
    async create(caller: Caller, input: ChannelInput): Promise<PublicChannel> {
      guardPrivate(caller, input.allowPrivateNetwork);
      const { provider, config } = validConfig(input.type, input.config, input.allowPrivateNetwork);
      await unique(input.name, null);
      const id = newId();
      const now = clock.now();
      await db('alert_channels').insert({
        id,
        name: input.name,
        type: input.type,
        enabled: input.enabled,
        config_sealed: box.seal(JSON.stringify(config), `alert_channel:${id}`),
        config_public: JSON.stringify(provider.redact(config)),
        min_severity: input.minSeverity,
        sources: input.sources === null ? null : JSON.stringify(input.sources),
        send_on_resolve: input.sendOnResolve,
        rate_max: input.rateLimit.max,
        rate_window_seconds: input.rateLimit.windowSeconds,
        allow_private_network: input.allowPrivateNetwork,
        created_by: caller.actor?.name ?? caller.system ?? null,
        created_at: now,
        updated_at: now,
      });
      changed();
      await audit.record({ type: 'alerts.channel.created', ...auditFrom(caller), target: { type: 'alert_channel', id, name: input.name }, outcome: 'success', details: { type: input.type } });
      return present(await row(id));
    },
    async update(caller: Caller, id: string, patch: ChannelPatch): Promise<PublicChannel> {
      const r = await row(id);
      guardPrivate(caller, patch.allowPrivateNetwork);
      if (patch.name !== undefined) await unique(patch.name, id);
      const set: Record<string, unknown> = { updated_at: clock.now() };
      if (patch.config !== undefined) {
        const { provider, config } = validConfig(r.type, patch.config, patch.allowPrivateNetwork ?? Boolean(r.allow_private_network));
        set.config_sealed = box.seal(JSON.stringify(config), `alert_channel:${id}`);
        set.config_public = JSON.stringify(provider.redact(config));
      }
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.enabled !== undefined) set.enabled = patch.enabled;
      if (patch.minSeverity !== undefined) set.min_severity = patch.minSeverity;
      if (patch.sources !== undefined) set.sources = patch.sources === null ? null : JSON.stringify(patch.sources);
      if (patch.sendOnResolve !== undefined) set.send_on_resolve = patch.sendOnResolve;
      if (patch.rateLimit !== undefined) {
        set.rate_max = patch.rateLimit.max;
        set.rate_window_seconds = patch.rateLimit.windowSeconds;
      }
      if (patch.allowPrivateNetwork !== undefined) set.allow_private_network = patch.allowPrivateNetwork;
      await db('alert_channels').where({ id }).update(set);
      changed();
      const fields = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
      await audit.record({ type: 'alerts.channel.updated', ...auditFrom(caller), target: { type: 'alert_channel', id, name: patch.name ?? r.name }, outcome: 'success', details: { fields } });
      return present(await row(id));
    },
    async remove(caller: Caller, id: string): Promise<void> {
      const r = await row(id);
      await db('alert_channels').where({ id }).delete();
      changed();
      await audit.record({ type: 'alerts.channel.deleted', ...auditFrom(caller), target: { type: 'alert_channel', id, name: r.name }, outcome: 'success', details: { type: r.type } });
    },
    /** Sends a test message at once (not through the outbox) and says whether the receiver took it. */
    async test(caller: Caller, id: string): Promise<{ delivered: boolean; error: string | null }> {
      const r = await row(id);
      const channel = live(r);
      if (!channel) throw conflict('unknown_channel_type', `The channel type "${r.type}" is not available.`);
      const message: NotificationMessage = { ...testMessage(r.name, deps.inboxUrl), id: newId(), createdAt: new Date(clock.now()).toISOString() };
      let error: string | null = null;
      try {
        await channel.provider.send(channel.secretConfig, message, { timeoutMs: deps.sendTimeoutMs, allowPrivateNetwork: channel.allowPrivateNetwork });
      } catch (err) {
        error = err instanceof DeliveryError ? err.message : 'the message could not be sent';
      }
      await recordDelivery(id, error);
      await audit.record({
        type: 'alerts.channel.tested',
        ...auditFrom(caller),
        target: { type: 'alert_channel', id, name: r.name },
        outcome: error === null ? 'success' : 'failure',
        details: error === null ? {} : { error },
      });
      return { delivered: error === null, error };
    },
    /** Whether an alert of this severity and source goes to the channel. */
    routes(channel: PublicChannel, severity: Severity, source: AlertSource): boolean {
      return severityRank(severity) >= severityRank(channel.minSeverity) && (channel.sources === null || channel.sources.includes(source));
    },
    recordDelivery,
  };
}
