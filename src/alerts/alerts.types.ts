// The shape of an alert, as raised by the monitor, the resource thresholds, servers and the panel itself, and as read back.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities in order, for "medium or higher". */
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_SOURCES = ['security', 'resources', 'servers', 'system', 'gatus'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/** What an alert points at: a stored detection, an audit event, a log line, a metric reading. */
export type AlertEvidence =
  | { kind: 'detection'; id: number }
  | { kind: 'audit'; id: number }
  | { kind: 'log'; ts: string; source: string; text: string }
  | { kind: 'metric'; ts: string; metric: string; value: number; target?: string };

/** What a component passes to alerts.raise(). */
export type RaiseAlert = {
  source: AlertSource;
  severity: Severity;
  /** Repeats of an alert that is not resolved, with this key, add to its count instead of making a new alert. */
  dedupKey: string;
  /** One line, e.g. "Panel login brute force from 203.0.113.7". */
  title: string;
  summary?: string;
  ip?: string | null;
  user?: string | null;
  evidence?: AlertEvidence[];
  details?: Record<string, unknown>;
  /** When it happened (ms since the epoch); the clock's now when absent. */
  ts?: number;
};

/** An alert as the API, the notifications and the UI see it. */
export type AlertSummary = {
  id: number;
  severity: Severity;
  status: AlertStatus;
  source: AlertSource;
  title: string;
  summary: string;
  ip: string | null;
  user: string | null;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Link to the alert in the panel, when the panel's public URL is known. */
  url: string | null;
};
