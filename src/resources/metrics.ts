// What a rule watches in a sample: one reading per target ("host", each mount for disk rules, each running server for
// server rules), and how readings are named.
import type { ResourceSample } from './sample.ts';
import { PERCENT_METRICS, type Metric } from './rules/schema.ts';
import type { ServerSample } from './server-history.ts';

/** name: what the target is called in alert titles (a server's name), where the target itself is an id. */
export type Reading = { target: string; value: number; name?: string };

export const HOST_TARGET = 'host';
export const serverTarget = (serverId: string) => `server:${serverId}`;

/** Use against a limit, in percent (null without a reading or a limit). */
const ofLimit = (used: number | null, limit: number | null): number | null => (used === null || !limit ? null : Math.round((used / limit) * 10_000) / 100);

/**
 * The readings of a rule's metric in a sample: one per target. The evaluator keeps one state per target and does not
 * care what a target is.
 */
export function readingsOf(rule: { metric: Metric; mount?: string | undefined }, sample: ResourceSample, servers: readonly ServerSample[] = []): Reading[] {
  const perServer = (value: (s: ServerSample) => number | null): Reading[] =>
    servers.flatMap((s) => {
      const v = value(s);
      return v === null ? [] : [{ target: serverTarget(s.serverId), value: v, name: s.name }];
    });
  const host = (value: number | null): Reading[] => (value === null ? [] : [{ target: HOST_TARGET, value }]);
  const perCpu = (load: number) => Math.round((load / Math.max(1, sample.cpuCount)) * 100) / 100;
  switch (rule.metric) {
    case 'cpu':
      return host(sample.cpu);
    case 'memory':
      return host(sample.memUsedPct);
    case 'swap':
      return host(sample.swapUsedPct);
    case 'load1':
      return host(sample.load1);
    case 'load5':
      return host(sample.load5);
    case 'load15':
      return host(sample.load15);
    case 'load1_per_cpu':
      return host(perCpu(sample.load1));
    case 'load5_per_cpu':
      return host(perCpu(sample.load5));
    case 'load15_per_cpu':
      return host(perCpu(sample.load15));
    case 'disk':
      return sample.disks.filter((d) => rule.mount === undefined || d.mount === rule.mount).map((d) => ({ target: d.mount, value: d.usedPct }));
    case 'server_cpu':
      return perServer((s) => ofLimit(s.cpuPct, s.cpuLimitPct));
    case 'server_memory':
      return perServer((s) => ofLimit(s.memoryBytes, s.memoryLimitBytes));
    case 'server_disk':
      return perServer((s) => ofLimit(s.diskBytes, s.diskLimitBytes));
  }
}

const LABELS: Record<Metric, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  swap: 'Swap',
  disk: 'Disk',
  load1: 'Load (1 min)',
  load5: 'Load (5 min)',
  load15: 'Load (15 min)',
  load1_per_cpu: 'Load per CPU (1 min)',
  load5_per_cpu: 'Load per CPU (5 min)',
  load15_per_cpu: 'Load per CPU (15 min)',
  server_cpu: 'CPU',
  server_memory: 'memory',
  server_disk: 'disk',
};

/** How a reading is named in titles: "CPU", "Disk /srv", "Server Survival memory". */
export function labelOf(metric: Metric, target: string, name?: string): string {
  if (metric === 'disk') return `Disk ${target}`;
  if (metric.startsWith('server_')) return `Server ${name ?? target.replace(/^server:/, '')} ${LABELS[metric]}`;
  return LABELS[metric];
}

/** A value with its unit: "93.4 %", "2.35" (server metrics: percent of the server's limit). */
export const formatValue = (metric: Metric, value: number, digits = 1): string =>
  PERCENT_METRICS.has(metric) ? `${Number(value.toFixed(digits))} %` : String(Number(value.toFixed(2)));
