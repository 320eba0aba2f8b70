// Alerting: the inbox, the notification channels and the outbox, wired together.
import type { AuditService } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { createAlertsService, type AlertChange, type AlertsService } from './alerts.service.ts';
import { createChannelsService } from './channels.service.ts';
import { createOutbox, type OutboxOptions } from './outbox.ts';
import { createResponder, type ResponderDeps } from './responses.ts';

export { detectionAlert } from './from-detection.ts';
export { auditEventAlert, auditEventResolves } from './from-audit.ts';
export { RESPONSES, RESPONSE_SCOPE, type ResponseAction, type Responder } from './responses.ts';
export { DEFAULT_RATE_LIMIT, type ChannelsService, type PublicChannel, type ChannelInput, type ChannelPatch } from './channels.service.ts';
export type { AlertsService, Alert, AlertDetail, AlertQuery, AlertChange, TimelineEntry } from './alerts.service.ts';
export type { Outbox, Delivery } from './outbox.ts';
export * from './alerts.types.ts';
export { providerTypes } from './providers/registry.ts';

export type Alerting = ReturnType<typeof createAlerting>;

export function createAlerting(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  logger: Logger;
  box: SecretBox;
  /** The panel's public URL (for links in notifications), if configured. */
  publicUrl: string | null;
  outbox: OutboxOptions;
  responders: Omit<ResponderDeps, 'alerts'>;
  /** Tells the other replicas' live inboxes about a change made here. */
  announce?: (change: AlertChange) => void;
}) {
  const base = deps.publicUrl ? deps.publicUrl.replace(/\/+$/, '') : null;
  const inboxUrl = base ? `${base}/alerts` : null;
  const channels = createChannelsService({ db: deps.db, clock: deps.clock, audit: deps.audit, box: deps.box, inboxUrl, sendTimeoutMs: deps.outbox.sendTimeoutMs });
  let alerts: AlertsService | null = null;
  const outbox = createOutbox({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger.child({ part: 'outbox' }),
    channels,
    options: deps.outbox,
    inboxUrl,
    summaries: (ids) => alerts!.summaries(ids),
    // A channel that cannot deliver is itself an alert (one per channel: repeats only count, so no loop), resolved
    // by its next delivery.
    onChannelTrouble: async (channel, reason) => {
      await alerts!.raise({
        source: 'system',
        severity: 'high',
        dedupKey: `system:channel:${channel.id}`,
        title: `Notifications to the channel "${channel.name}" are failing`,
        summary: `The ${channel.type} channel "${channel.name}" could not deliver: ${reason}. Alerts are kept in the inbox and retried until they expire.`,
        details: { channelId: channel.id },
      });
    },
    onChannelWorks: async (channel) => {
      await alerts!.resolveByKey(`system:channel:${channel.id}`, `The channel "${channel.name}" delivered again.`);
    },
  });
  alerts = createAlertsService({ db: deps.db, clock: deps.clock, audit: deps.audit, logger: deps.logger, outbox, alertUrl: (id) => (base ? `${base}/alerts/${id}` : null), ...(deps.announce ? { announce: deps.announce } : {}) });
  const responder = createResponder({ ...deps.responders, alerts });
  return { alerts, channels, outbox, responder };
}
