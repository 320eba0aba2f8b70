// The words of a notification: subject and plain text for one alert, its resolution, a digest, or a test.
import { severityRank, type AlertSummary, type Severity } from './alerts.types.ts';
import type { NotificationMessage } from './providers/provider.ts';

type Draft = Omit<NotificationMessage, 'id' | 'createdAt'>;

const SEVERITY_WORD: Record<Severity, string> = { info: 'INFO', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' };

const line = (label: string, value: string | number | null) => (value === null || value === '' ? null : `${label}: ${value}`);

function describe(a: AlertSummary): string {
  return [
    a.title,
    '',
    line('Severity', a.severity),
    line('Status', a.status),
    line('Source', a.source),
    line('Address', a.ip),
    line('User', a.user),
    line('Occurrences', a.count),
    line('First seen', a.firstSeen),
    line('Last seen', a.lastSeen),
    a.summary ? `\n${a.summary}` : null,
    a.url ? `\nOpen in the panel: ${a.url}` : null,
  ]
    .filter((x) => x !== null)
    .join('\n');
}

export function alertMessage(a: AlertSummary): Draft {
  return { kind: 'alert', subject: `[${SEVERITY_WORD[a.severity]}] ${a.title}`, text: describe(a), severity: a.severity, alerts: [a], total: 1, url: a.url };
}

export function resolvedMessage(a: AlertSummary, note: string | null): Draft {
  const text = `Resolved: ${describe(a)}${note ? `\n\nResolution: ${note}` : ''}`;
  return { kind: 'resolved', subject: `[RESOLVED] ${a.title}`, text, severity: a.severity, alerts: [a], total: 1, url: a.url };
}

export const highestSeverity = (alerts: readonly AlertSummary[]): Severity | null =>
  alerts.reduce<Severity | null>((top, a) => (top === null || severityRank(a.severity) > severityRank(top) ? a.severity : top), null);

/** Many alerts in one message: the channel's rate limit was reached. `alerts` is the first few, `total` all of them. */
export function digestMessage(alerts: AlertSummary[], total: number, windowSeconds: number, inboxUrl: string | null): Draft {
  const top = highestSeverity(alerts);
  const minutes = Math.max(1, Math.round(windowSeconds / 60));
  const rows = alerts.map((a) => `- [${SEVERITY_WORD[a.severity]}] ${a.title}${a.count > 1 ? ` (x${a.count})` : ''}`);
  const more = total > alerts.length ? [`- … and ${total - alerts.length} more`] : [];
  const text = [
    `${total} more alert${total === 1 ? '' : 's'} arrived after this channel's limit was reached (at most a few messages every ${minutes} min); they are summed up here.`,
    '',
    ...rows,
    ...more,
    inboxUrl ? `\nOpen the alert inbox: ${inboxUrl}` : null,
  ]
    .filter((x) => x !== null)
    .join('\n');
  return { kind: 'digest', subject: `[DIGEST${top ? ` ${SEVERITY_WORD[top]}` : ''}] ${total} alert${total === 1 ? '' : 's'}`, text, severity: top, alerts, total, url: inboxUrl };
}

export function testMessage(channelName: string, inboxUrl: string | null): Draft {
  return {
    kind: 'test',
    subject: `Test notification for channel "${channelName}"`,
    text: `This is a test notification from Aether Panel for the channel "${channelName}". If you can read it, alerts will reach you here.`,
    severity: null,
    alerts: [],
    total: 0,
    url: inboxUrl,
  };
}
