// The one interface every notification channel type implements (email, webhook, Discord, Slack): a config schema, a
// redacted view of a config, and send().
import type { z } from 'zod';
import type { AlertSummary, Severity } from '../alerts.types.ts';

/** One message to one channel: a single alert, its resolution, a digest of many alerts, or a test. */
export type NotificationMessage = {
  /** The notification's id in the outbox: the same on every retry (e-mail Message-ID, webhook X-Aether-Delivery). */
  id: string;
  kind: 'alert' | 'resolved' | 'digest' | 'test';
  /** One line: the e-mail subject, the chat message title. */
  subject: string;
  /** Plain-text body. */
  text: string;
  /** Highest severity among the alerts; null for a test. */
  severity: Severity | null;
  /** The alert for alert/resolved; up to the first 50 for a digest; none for a test. */
  alerts: AlertSummary[];
  /** Digest: how many alerts it stands for (may be more than alerts.length). */
  total: number;
  /** Link to the panel's alert inbox (or to the alert), when the public URL is known. */
  url: string | null;
  /** ISO time the notification was created (not sent). */
  createdAt: string;
};

export type SendContext = {
  /** Give up on one attempt after this long. */
  timeoutMs: number;
  /** Whether the channel may reach loopback, private, link-local and other non-public addresses. */
  allowPrivateNetwork: boolean;
};

/** A failed attempt. permanent: retrying cannot help (refused target, rejected by the receiver with a 4xx). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type ChannelProvider<C = unknown> = {
  type: string;
  /** Human name, e.g. "E-mail (SMTP)". */
  label: string;
  /** Validates a config given through the API; unknown keys are refused. */
  configSchema: z.ZodType<C>;
  /** The config with its secrets (passwords, signing secrets, webhook URLs with tokens) replaced, for API answers. */
  redact(config: C): Record<string, unknown>;
  /** Delivers one message; resolves when the receiver accepted it, throws DeliveryError otherwise. */
  send(config: C, message: NotificationMessage, ctx: SendContext): Promise<void>;
};
