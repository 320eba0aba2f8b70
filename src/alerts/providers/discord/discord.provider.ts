// Discord channel: posts the notification to a Discord webhook URL as one embed.
import { z } from 'zod';
import { httpUrlSchema, originOnly } from '../http-url.ts';
import { postJson } from '../net-guard.ts';
import type { ChannelProvider } from '../provider.ts';
import { discordPayload } from './discord.payload.ts';

export const discordConfigSchema = z.strictObject({
  url: httpUrlSchema.describe('The Discord webhook URL (Server settings > Integrations > Webhooks); it contains the token.'),
});

export type DiscordConfig = z.infer<typeof discordConfigSchema>;

export const discordProvider: ChannelProvider<DiscordConfig> = {
  type: 'discord',
  label: 'Discord',
  configSchema: discordConfigSchema,
  // SECURITY: the path of a Discord webhook URL is its token; only the origin is shown.
  redact: (config) => ({ url: originOnly(config.url) }),
  async send(config, message, ctx) {
    await postJson(config.url, JSON.stringify(discordPayload(message)), {}, ctx);
  },
};
