// Builds a Discord webhook body (one embed) from a notification, within Discord's embed limits, with user text escaped.
import type { Severity } from '../../alerts.types.ts';
import type { NotificationMessage } from '../provider.ts';
import { fit, oneLine, safeLink } from '../text.ts';

/** Discord's limits on one embed, in characters; the total counts title, description, field names and values, footer. */
export const DISCORD_LIMITS = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 } as const;

/** Alerts shown as fields of a digest, and the share of the total the fields may use; the text gets the rest. */
const SHOWN_ALERTS = 10;
const FIELDS_BUDGET = 2400;
const ALERT_VALUE_MAX = 400;

const COLORS: Record<Severity, number> = { info: 0x3498db, low: 0x2ecc71, medium: 0xf1c40f, high: 0xe67e22, critical: 0xe74c3c };
const RESOLVED_COLOR = 0x2ecc71;
const TEST_COLOR = 0x95a5a6;

// SECURITY: alert text comes from logs and clients; escaped, it cannot forge a masked link ([text](url)), a mention, a
// spoiler or code formatting that hides part of the message. (Line-start # and - stay: headings and lists hide nothing.)
const escapeMarkdown = (ch: string): string => (/[\\*_~`|[\]()<>]/.test(ch) ? `\\${ch}` : ch);

const md = (text: string, max: number): string => fit(text, max, escapeMarkdown);

export type DiscordField = { name: string; value: string; inline?: boolean };
export type DiscordEmbed = {
  title: string;
  description?: string;
  url?: string;
  color: number;
  timestamp?: string;
  footer: { text: string };
  fields: DiscordField[];
};
export type DiscordPayload = { username: string; allowed_mentions: { parse: string[] }; embeds: [DiscordEmbed] };

function alertField(alert: NotificationMessage['alerts'][number]): DiscordField {
  const name = md(`${alert.severity.toUpperCase()} · ${oneLine(alert.title)}`, DISCORD_LIMITS.fieldName);
  const facts = [alert.ip && `IP ${alert.ip}`, alert.user && `user ${alert.user}`, alert.count > 1 && `×${alert.count}`, `last ${alert.lastSeen}`]
    .filter(Boolean)
    .join(' · ');
  const summary = oneLine(alert.summary);
  const value = md(summary === '' ? facts : `${summary}\n${facts}`, ALERT_VALUE_MAX);
  return { name, value: value === '' ? '-' : value };
}

const size = (f: DiscordField): number => f.name.length + f.value.length;

export function discordPayload(message: NotificationMessage): DiscordPayload {
  const title = md(oneLine(message.subject) || 'Aether Panel', DISCORD_LIMITS.title);
  const more = Math.max(0, message.total - message.alerts.length);
  const footer = fit(`Aether Panel · ${message.kind}${message.total > 1 ? ` · ${message.total} alerts` : ''}`, DISCORD_LIMITS.footer);

  const fields: DiscordField[] = [];
  let fieldChars = 0;
  for (const alert of message.alerts.slice(0, SHOWN_ALERTS)) {
    const field = alertField(alert);
    if (fieldChars + size(field) > FIELDS_BUDGET) break;
    fields.push(field);
    fieldChars += size(field);
  }
  const left = message.alerts.length - fields.length + more;
  if (left > 0) {
    const moreField = { name: 'More', value: `${left} more alert${left === 1 ? '' : 's'} in the panel` };
    fields.push(moreField);
    fieldChars += size(moreField);
  }

  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.total - title.length - footer.length - fieldChars);
  const description = md(message.text, Math.max(0, room));
  const url = safeLink(message.url);
  const timestamp = Number.isNaN(Date.parse(message.createdAt)) ? undefined : new Date(message.createdAt).toISOString();
  const color = message.kind === 'resolved' ? RESOLVED_COLOR : message.severity ? COLORS[message.severity] : TEST_COLOR;

  return {
    username: 'Aether Panel',
    // SECURITY: no @everyone, role or user pings, whatever the text says.
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title,
        ...(description === '' ? {} : { description }),
        ...(url ? { url } : {}),
        color,
        ...(timestamp ? { timestamp } : {}),
        footer: { text: footer },
        fields,
      },
    ],
  };
}
