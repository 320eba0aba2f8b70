// The words of resource alerts: one-line titles, a summary with the values, and the note that resolves an alert.
import { formatValue, labelOf } from './metrics.ts';
import type { ResourceRule } from './rules/loader.ts';
import { SERVER_METRICS } from './rules/schema.ts';
import type { TargetState } from './threshold-state.ts';

/** "5 min", "90 s", "1 h 30 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', rest ? `${rest} s` : ''].filter(Boolean).join(' ');
}

const GIB = 1024 ** 3;
const gib = (bytes: number) => `${Number((bytes / GIB).toFixed(1))} GiB`;

const ofLimit = (metric: ResourceRule['metric']) => (SERVER_METRICS.has(metric) ? ' of its limit' : '');

/** name: what the target is called (a server's name; its target is its id). */
export function alertTitle(rule: ResourceRule, target: string, value: number, hostname: string, name?: string): string {
  if (rule.metric === 'disk') return `Disk ${target} ${Math.round(value)} % full on ${hostname}`;
  return `${labelOf(rule.metric, target, name)} above ${formatValue(rule.metric, rule.above, 0)}${ofLimit(rule.metric)} for ${formatDuration(rule.for)} on ${hostname}`;
}

export function alertSummary(rule: ResourceRule, target: string, state: TargetState, hostname: string, extra: { disk?: { usedBytes: number; sizeBytes: number } | undefined; name?: string | undefined } = {}): string {
  const label = labelOf(rule.metric, target, extra.name);
  const v = (n: number) => formatValue(rule.metric, n);
  const first = state.first ?? state.last;
  const { disk } = extra;
  const parts = [
    `${label} at ${v(state.last.value)}${ofLimit(rule.metric)} on ${hostname}${disk ? ` (${gib(disk.usedBytes)} of ${gib(disk.sizeBytes)} used)` : ''}.`,
    `Above ${v(rule.above)} since ${new Date(first.ts).toISOString()}, peak ${v(state.peak?.value ?? state.last.value)}.`,
    `Clears once below ${v(rule.clear_below)} for ${formatDuration(rule.clear_for)}.`,
    rule.description ? `Rule ${rule.id}: ${rule.description}` : `Rule ${rule.id}.`,
  ];
  return parts.join(' ');
}

/** "CPU back below 85 % for 1 min (now 40 %)". */
export function resolveNote(rule: ResourceRule, target: string, value: number, name?: string): string {
  return `${labelOf(rule.metric, target, name)} back below ${formatValue(rule.metric, rule.clear_below, 0)} for ${formatDuration(rule.clear_for)} (now ${formatValue(rule.metric, value, 0)})`;
}

export function goneNote(rule: ResourceRule, target: string, lastTs: number, name?: string): string {
  const why = SERVER_METRICS.has(rule.metric) ? 'the server stopped or was deleted, or the rule changed' : 'unmounted, or the rule changed';
  return `${labelOf(rule.metric, target, name)} no longer reported since ${new Date(lastTs).toISOString()} (${why})`;
}
