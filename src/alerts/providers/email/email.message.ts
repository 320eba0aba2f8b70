// The e-mail built from a notification: subject, text and HTML bodies, a Message-ID stable across retries, headers.
import type { NotificationMessage } from '../provider.ts';
import { escapeHtml, fit, headerToken, oneLine, safeLink } from '../text.ts';

export type EmailContent = { subject: string; text: string; html: string; messageId: string; headers: Record<string, string> };

export function emailContent(message: NotificationMessage, from: string): EmailContent {
  // SECURITY: the subject comes from alert titles (log data); line breaks are flattened so it stays one header.
  const subject = `[Aether] ${fit(oneLine(message.subject), 200)}`;
  const token = headerToken(message.id);
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const link = safeLink(message.url);
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.4">',
    `<h2 style="margin:0 0 12px">${escapeHtml(subject)}</h2>`,
    `<pre style="white-space:pre-wrap;font-family:inherit;margin:0">${escapeHtml(message.text)}</pre>`,
    link ? `<p><a href="${escapeHtml(link)}">Open in Aether Panel</a></p>` : '',
    '</body></html>',
  ].join('\n');
  return {
    subject,
    text: message.text,
    html,
    // The same notification id gives the same Message-ID, so a retried e-mail can be recognised as a duplicate.
    messageId: `<${token}@${domain}>`,
    headers: { 'X-Aether-Delivery': token },
  };
}
