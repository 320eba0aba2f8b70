// Slack channel: posts the notification to a Slack incoming webhook URL as Block Kit blocks.
import { z } from 'zod';
import { httpUrlSchema, originOnly } from '../http-url.ts';
import { postJson } from '../net-guard.ts';
import type { ChannelProvider } from '../provider.ts';
import { slackPayload } from './slack.payload.ts';

export const slackConfigSchema = z.strictObject({
  url: httpUrlSchema.describe('The Slack incoming webhook URL (https://hooks.slack.com/services/...); it contains the token.'),
});

export type SlackConfig = z.infer<typeof slackConfigSchema>;

export const slackProvider: ChannelProvider<SlackConfig> = {
  type: 'slack',
  label: 'Slack',
  configSchema: slackConfigSchema,
  // SECURITY: the path of a Slack webhook URL is its token; only the origin is shown.
  redact: (config) => ({ url: originOnly(config.url) }),
  async send(config, message, ctx) {
    await postJson(config.url, JSON.stringify(slackPayload(message)), {}, ctx);
  },
};
