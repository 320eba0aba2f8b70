// Generic JSON webhook channel: POSTs the notification as JSON, signed with HMAC-SHA256 over the exact body bytes.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { httpUrlSchema, withoutQuery } from '../http-url.ts';
import { postJson } from '../net-guard.ts';
import type { ChannelProvider, NotificationMessage } from '../provider.ts';
import { headerToken } from '../text.ts';

const MASK = '********';

/** Headers the panel sets itself or that change how the request is framed or routed. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'user-agent']);

const headerName = z
  .string()
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name')
  .refine((name) => {
    const lower = name.toLowerCase();
    return !RESERVED_HEADERS.has(lower) && !lower.startsWith('x-aether-') && !lower.startsWith('proxy-');
  }, 'is set by the panel or controls the connection (Host, Content-*, X-Aether-*, ...); choose another header');

// SECURITY: printable ASCII and tab only, so a value can never carry CR/LF into the request (header injection).
const headerValue = z.string().max(1024).regex(/^[\t\x20-\x7e]*$/, 'must be printable ASCII without line breaks');

export const webhookConfigSchema = z.strictObject({
  url: httpUrlSchema.describe('The receiver: an http or https URL the notification is POSTed to.'),
  secret: z.string().min(16).max(1024).describe('Key of the HMAC-SHA256 signature in X-Aether-Signature; at least 16 characters.'),
  headers: z
    .record(headerName, headerValue)
    .refine((h) => Object.keys(h).length <= 20, 'at most 20 extra headers')
    .optional()
    .describe('Extra request headers (not Host, Content-*, User-Agent or X-Aether-*).'),
  timeoutSeconds: z.number().int().min(1).max(60).default(10).describe('Give up on one attempt after this many seconds.'),
});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** Extra headers whose name suggests a credential are shown masked. */
const SENSITIVE_HEADER = /auth|token|secret|key|cookie|pass|session|signature|credential/i;

/** The JSON body receivers get; its exact bytes are what the signature covers. */
export function webhookBody(message: NotificationMessage): string {
  const { id, kind, subject, text, severity, total, url, createdAt, alerts } = message;
  return JSON.stringify({ id, kind, subject, text, severity, total, url, createdAt, alerts });
}

export const webhookProvider: ChannelProvider<WebhookConfig> = {
  type: 'webhook',
  label: 'Webhook (JSON)',
  configSchema: webhookConfigSchema,
  redact: (config) => ({
    url: withoutQuery(config.url),
    secret: MASK,
    ...(config.headers
      ? { headers: Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, SENSITIVE_HEADER.test(k) ? MASK : v])) }
      : {}),
    timeoutSeconds: config.timeoutSeconds,
  }),
  async send(config, message, ctx) {
    const body = webhookBody(message);
    const signature = createHmac('sha256', config.secret).update(body, 'utf8').digest('hex');
    await postJson(
      config.url,
      body,
      { ...config.headers, 'X-Aether-Delivery': headerToken(message.id), 'X-Aether-Signature': `sha256=${signature}` },
      { ...ctx, timeoutMs: Math.min(ctx.timeoutMs, config.timeoutSeconds * 1000) },
    );
  },
};
