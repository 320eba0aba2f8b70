// What a rule watches in a sample: one reading per target ("host", or each mount for disk rules), and how readings are named.
import type { ResourceSample } from './sample.ts';
import { PERCENT_METRICS, type Metric } from './rules/schema.ts';

export type Reading = { target: string; value: number };

export const HOST_TARGET = 'host';

/**
 * The readings of a rule's metric in a sample: one per target. The evaluator keeps one state per target and does not
 * care what a target is.
 */
export function readingsOf(rule: { metric: Metric; mount?: string | undefined }, sample: ResourceSample): Reading[] {
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
};

/** How a reading is named in titles: "CPU", "Disk /srv". */
export const labelOf = (metric: Metric, target: string): string => (metric === 'disk' ? `Disk ${target}` : LABELS[metric]);

/** A value with its unit: "93.4 %", "2.35". */
export const formatValue = (metric: Metric, value: number, digits = 1): string =>
  PERCENT_METRICS.has(metric) ? `${Number(value.toFixed(digits))} %` : String(Number(value.toFixed(2)));
