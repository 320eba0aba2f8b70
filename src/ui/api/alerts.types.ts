// Types of the alert inbox and notification channels as /api/v1/alerts reads and writes them.
import type { Severity } from './types.ts';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type AlertSource = 'security' | 'resources' | 'servers' | 'system' | 'gatus';

export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];
export const ALERT_SOURCES: readonly AlertSource[] = ['security', 'resources', 'servers', 'system', 'gatus'];
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** An alert as lists and the live stream show it. */
export type AlertSummary = {
  id: number;
  severity: Severity;
  status: AlertStatus;
  source: AlertSource;
  title: string;
  summary: string;
  ip: string | null;
  user: string | null;
  /** Occurrences: repeats of an unresolved alert add to it. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  url: string | null;
};

export type Alert = AlertSummary & {
  dedupKey: string;
  assignee: { id: string; username: string } | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  updatedAt: string;
  details: Record<string, unknown>;
};

export type AlertCounts = Record<AlertStatus, number>;

export type AlertSort = 'last_seen' | 'first_seen' | 'severity' | 'count';
export type SortOrder = 'asc' | 'desc';

export type AlertQuery = {
  status: AlertStatus[];
  severity: Severity[];
  source: AlertSource[];
  q: string;
  /** A user id; empty for anyone. */
  assignee: string;
  sort: AlertSort;
  order: SortOrder;
  limit: number;
  offset: number;
};

export type AlertList = {
  items: AlertSummary[];
  /** Alerts matching the filters, over all pages. */
  total: number;
  /** Alerts in each status, whatever the filters. */
  counts: AlertCounts;
};

/** One message of the live stream. */
export type AlertChange = { type: 'created' | 'updated'; alert: AlertSummary };

export type TimelineKind = 'created' | 'escalated' | 'acknowledged' | 'resolved' | 'reopened' | 'assigned' | 'note' | 'action';

export type TimelineEntry = {
  id: number;
  ts: string;
  kind: TimelineKind | string;
  actor: { type: string; id: string | null; name: string | null };
  text: string;
  data: Record<string, unknown>;
};

/** What an alert points at; ts is ISO. */
export type AlertEvidenceRef =
  | { kind: 'detection'; id: number; ts: string }
  | { kind: 'audit'; id: number; ts: string }
  | { kind: 'log'; ts: string; source: string; text: string }
  | { kind: 'metric'; ts: string; metric: string; value: number; target?: string };

/** An audit event as the alert detail carries it: numeric id and a time in ms (unlike GET /audit). */
export type AlertAuditEvent = {
  id: number | string;
  ts: number | string;
  type: string;
  actor: { type: 'user' | 'client' | 'system'; id: string | null; name: string | null };
  ip: string | null;
  userAgent: string | null;
  target: { type: string | null; id: string | null; name: string | null };
  outcome: 'success' | 'failure' | 'denied';
  details: Record<string, unknown>;
};

/** A stored detection named by the alert's evidence; its evidence items have the shape of a detection's. */
export type AlertDetection = { id: number; rule: string; ts: string; count: number; outcome: string; evidence: unknown[] };

export type DeliveryKind = 'alert' | 'resolved' | 'digest' | 'test';
export type DeliveryStatus = 'held' | 'pending' | 'delivered' | 'failed' | 'expired';

export type Delivery = {
  id: string;
  channelId: string;
  channelName: string | null;
  kind: DeliveryKind;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
};

export type AlertDetail = {
  alert: Alert;
  timeline: TimelineEntry[];
  evidence: AlertEvidenceRef[];
  auditEvents: AlertAuditEvent[];
  detections: AlertDetection[];
  related: { auditEvents: AlertAuditEvent[]; alerts: AlertSummary[] };
  deliveries: Delivery[];
};

export type ResponseAction = 'ban_ip' | 'disable_user' | 'revoke_user_access';

export type ResponseResult = { action: ResponseAction; text: string; details: Record<string, unknown> };

export type BulkAction = 'acknowledge' | 'resolve';

export type BulkResult = { changed: number[]; missing: number[] };

export type RateLimit = { max: number; windowSeconds: number };

/** A notification channel; its config comes back with the secrets hidden. */
export type AlertChannel = {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
  config: Record<string, unknown>;
  minSeverity: Severity;
  /** null: every source. */
  sources: AlertSource[] | null;
  sendOnResolve: boolean;
  rateLimit: RateLimit;
  allowPrivateNetwork: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastDeliveredAt: string | null;
  lastFailedAt: string | null;
  lastError: string | null;
};

export type ChannelType = { type: string; label: string };

/** The routing fields every channel has, whatever its type. */
export type ChannelRouting = {
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  sources: AlertSource[] | null;
  sendOnResolve: boolean;
  rateLimit: RateLimit;
  allowPrivateNetwork: boolean;
};

export type NewChannelInput = ChannelRouting & { type: string; config: Record<string, unknown> };

/** A change to a channel; a config replaces the stored one whole, secrets included. */
export type ChannelPatch = Partial<ChannelRouting> & { config?: Record<string, unknown> };

export type ChannelTestResult = { delivered: boolean; error: string | null };
