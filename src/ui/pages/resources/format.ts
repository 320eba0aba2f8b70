// Formatting of resource figures (percentages, bytes, rates) and the text summary of a chart's series.
import type { Series } from '../../api/resources.api.ts';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;

export const formatPct = (pct: number): string => `${pct.toFixed(1)} %`;

export const formatLoad = (load: number): string => load.toFixed(2);

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** "average 12.3 %, peak 40.1 % (5 Dec, 10:32), latest 11.0 %", or null when the series has no value. */
export function describeSeries(ts: readonly number[], values: Series, format: (v: number) => string, peaks?: Series | null): string | null {
  let sum = 0;
  let n = 0;
  let peak: { v: number; at: number } | null = null;
  let last: number | null = null;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    sum += v;
    n += 1;
    last = v;
    const top = peaks?.[i] ?? v;
    if (!peak || top > peak.v) peak = { v: top, at: ts[i]! };
  }
  if (n === 0 || peak === null || last === null) return null;
  return `average ${format(sum / n)}, peak ${format(peak.v)} (${time.format(new Date(peak.at))}), latest ${format(last)}`;
}
