// Builds a Slack incoming-webhook body (Block Kit) from a notification, within Slack's block limits, with user text escaped.
import type { NotificationMessage } from '../provider.ts';
import { fit, oneLine, safeLink } from '../text.ts';

/** Slack's limits: header text, section text and fallback text in characters, and blocks per message. */
export const SLACK_LIMITS = { header: 150, section: 3000, text: 3000, blocks: 50 } as const;

/** Alerts shown as their own section in a digest; well under the block limit. */
const SHOWN_ALERTS = 20;

// SECURITY: Slack reads <...> as links and mentions (<!channel>, <url|text>); user text gets &, < and > as entities,
// so an alert cannot ping a channel or show a link under false text.
const escapeSlack = (ch: string): string => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch);

const mrkdwn = (text: string, max: number): string => fit(text, max, escapeSlack);

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject }
  | { type: 'context'; elements: TextObject[] };
export type SlackPayload = { text: string; blocks: SlackBlock[] };

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** A URL inside <url|text>: & < > as entities, and | (which would end the URL) percent-encoded. */
const slackUrl = (url: string): string => mrkdwn(url, 2048).replaceAll('|', '%7C');

function alertSection(alert: NotificationMessage['alerts'][number]): SlackBlock {
  const facts = [alert.ip && `IP ${alert.ip}`, alert.user && `user ${alert.user}`, alert.count > 1 && `×${alert.count}`, `last ${alert.lastSeen}`]
    .filter(Boolean)
    .join(' · ');
  const summary = oneLine(alert.summary);
  const head = `*${alert.severity.toUpperCase()}* `;
  const link = safeLink(alert.url);
  const tail = link ? ` <${slackUrl(link)}|open>` : '';
  const body = mrkdwn(`${oneLine(alert.title)}\n${summary === '' ? facts : `${summary}\n${facts}`}`, SLACK_LIMITS.section - head.length - tail.length);
  return section(`${head}${body}${tail}`);
}

export function slackPayload(message: NotificationMessage): SlackPayload {
  const subject = oneLine(message.subject) || 'Aether Panel';
  // plain_text is shown as is: Slack parses no links or mentions in it, so it is cut, not escaped.
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: fit(subject, SLACK_LIMITS.header), emoji: false } }];
  const text = mrkdwn(message.text.trim(), SLACK_LIMITS.section);
  if (text !== '') blocks.push(section(text));

  const shown = message.alerts.slice(0, SHOWN_ALERTS);
  for (const alert of shown) blocks.push(alertSection(alert));
  const left = Math.max(message.total, message.alerts.length) - shown.length;
  if (left > 0 && message.kind !== 'test') {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${left} more alert${left === 1 ? '' : 's'} in the panel` }] });
  }
  const link = safeLink(message.url);
  if (link) blocks.push(section(`<${slackUrl(link)}|Open in Aether Panel>`));
  const severity = message.severity ? ` · severity ${message.severity}` : '';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(`Aether Panel · ${message.kind}${severity} · ${message.createdAt}`, SLACK_LIMITS.section) }] });

  return { text: mrkdwn(subject, SLACK_LIMITS.text), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
