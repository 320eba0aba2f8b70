// API calls and types of host resource monitoring: the latest sample, the history as chart columns, the threshold rules.
import { apiRequest } from './client.ts';
import type { Severity } from './types.ts';

export type DiskUsage = { mount: string; usedPct: number; usedBytes: number; sizeBytes: number };

export type ResourceSample = {
  ts: string;
  cpu: number;
  cpuCount: number;
  load1: number;
  load5: number;
  load15: number;
  memUsedPct: number;
  memUsedBytes: number;
  memTotalBytes: number;
  /** null: the host has no swap. */
  swapUsedPct: number | null;
  disks: DiskUsage[];
  /** Bytes per second; null on the first sample or where the host does not report them. */
  diskReadBps: number | null;
  diskWriteBps: number | null;
  netRxBps: number | null;
  netTxBps: number | null;
};

export type CurrentResources = { host: string; running: boolean; intervalSeconds: number; sample: ResourceSample | null };

export const SERIES_NAMES = [
  'cpu',
  'load1',
  'load5',
  'load15',
  'memUsedPct',
  'memUsedBytes',
  'memTotalBytes',
  'swapUsedPct',
  'diskReadBps',
  'diskWriteBps',
  'netRxBps',
  'netTxBps',
] as const;
export type SeriesName = (typeof SERIES_NAMES)[number];
export type Series = Array<number | null>;

export type ResourceHistory = {
  resolution: '10s' | '5m';
  stepSeconds: number;
  from: string;
  to: string;
  /** Milliseconds since the epoch, one per point; every series has one value (or null for a gap) per point. */
  ts: number[];
  /** Values (10 s) or 5-minute averages. */
  series: Record<SeriesName, Series>;
  /** 5-minute maxima; null at 10 s. */
  max: Record<SeriesName, Series> | null;
  disks: Array<{ mount: string; usedPct: Series; usedPctMax: Series | null; sizeBytes: number | null }>;
};

export type RuleState = 'ok' | 'pending' | 'firing';

export type ResourceRule = {
  id: string;
  description: string;
  metric: string;
  mount: string | null;
  above: number;
  forSeconds: number;
  clearBelow: number;
  clearForSeconds: number;
  severity: Severity;
  enabled: boolean;
  file: string;
  state: RuleState;
  since: string | null;
  value: number | null;
  /** name: a server's name (its target is its id); null for the host and mounts. */
  targets: Array<{ target: string; name: string | null; state: RuleState; since: string; value: number; ts: string }>;
};

export const RANGES = [
  { id: '1h', label: '1 hour' },
  { id: '6h', label: '6 hours' },
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

export function getCurrentResources(): Promise<CurrentResources> {
  return apiRequest<CurrentResources>('GET', '/resources/current');
}

export function getResourceHistory(range: RangeId): Promise<ResourceHistory> {
  return apiRequest<ResourceHistory>('GET', '/resources/history', { query: { range } });
}

export async function listResourceRules(): Promise<ResourceRule[]> {
  const res = await apiRequest<{ items: ResourceRule[] }>('GET', '/resources/rules');
  return res.items;
}
