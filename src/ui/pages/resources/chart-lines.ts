// The lines of a history chart (5-minute maxima as dashed lines beside the averages), one summary sentence per series,
// and what a history answer covers.
import { RANGES, type RangeId, type Series } from '../../api/resources.api.ts';
import { describeSeries } from './format.ts';
import { themeColor, type ChartLine } from './time-chart.tsx';

/** The colours lines take in turn (disks by mount). */
const PALETTE: ReadonlyArray<[string, string]> = [
  ['--primary', '#2f5bd3'],
  ['--success', '#1b7340'],
  ['--warning', '#8a5a00'],
  ['--danger', '#c42b2b'],
  ['--info', '#2249b8'],
  ['--muted', '#5a6477'],
];
export const color = (i: number) => {
  const [name, fallback] = PALETTE[i % PALETTE.length]!;
  return themeColor(name, fallback);
};

export type Line = { label: string; values: Series; peaks?: Series | null };

/** The chart lines (with the 5-minute maxima as dashed lines) and one summary sentence per series. */
export function chartOf(h: { ts: number[]; max: unknown }, lines: Line[], format: (v: number) => string) {
  const drawn: ChartLine[] = [];
  const summary: string[] = [];
  lines.forEach((l, i) => {
    drawn.push({ label: h.max && l.peaks ? `${l.label} (average)` : l.label, values: l.values, color: color(i) });
    if (h.max && l.peaks) drawn.push({ label: `${l.label} (peak)`, values: l.peaks, color: color(i), dashed: true });
    const text = describeSeries(h.ts, l.values, format, l.peaks);
    summary.push(`${l.label}: ${text ?? 'no data in this range'}.`);
  });
  return { lines: drawn, summary: summary.length ? summary : ['Nothing measured in this range.'] };
}


/** What a history answer covers, in words ("last 24 hours, every 10 seconds") and as the charts' x range. */
export function historyScope(h: { resolution: '10s' | '5m'; from: string; to: string }, range: RangeId) {
  const rangeLabel = RANGES.find((r) => r.id === range)!.label;
  const step = h.resolution === '10s' ? 'every 10 seconds' : 'averages and peaks of 5 minutes';
  return { rangeLabel, step, context: `last ${rangeLabel}, ${step}`, span: { from: Date.parse(h.from), to: Date.parse(h.to) } };
}

/** Short ranges move every sample; the long ones only every 5 minutes. */
export const historyPollMs = (range: RangeId) => (range === '7d' || range === '30d' ? 300_000 : 30_000);
