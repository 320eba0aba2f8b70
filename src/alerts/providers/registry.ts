// The one list of notification channel types: adding a channel type is its folder plus one line here.
import { discordProvider } from './discord/discord.provider.ts';
import { emailProvider } from './email/email.provider.ts';
import type { ChannelProvider } from './provider.ts';
import { slackProvider } from './slack/slack.provider.ts';
import { webhookProvider } from './webhook/webhook.provider.ts';

const ALL: readonly ChannelProvider[] = [emailProvider, webhookProvider, discordProvider, slackProvider];

/** Channel providers by type. A Map, so a type such as "constructor" or "__proto__" is simply unknown. */
export const providers: ReadonlyMap<string, ChannelProvider> = new Map(ALL.map((p) => [p.type, p]));

/** The provider of a channel type, or undefined for an unknown type (the caller answers 400). */
export const getProvider = (type: string): ChannelProvider | undefined => providers.get(type);

/** Channel types with their human names, in display order, e.g. for the UI's "add channel" choice. */
export const providerTypes: ReadonlyArray<{ type: string; label: string }> = Object.freeze(ALL.map(({ type, label }) => Object.freeze({ type, label })));
