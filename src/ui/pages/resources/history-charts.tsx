// The history charts of the host (CPU, memory and swap, disk usage, disk I/O, network) for the range picked.
import { getResourceHistory, RANGES, type RangeId, type ResourceHistory, type Series } from '../../api/resources.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { describeSeries, formatPct, formatRate } from './format.ts';
import { themeColor, TimeChart, type ChartLine } from './time-chart.tsx';
import { usePolling } from '../../hooks/use-polling.ts';

/** The colours lines take in turn (disks by mount). */
const PALETTE: ReadonlyArray<[string, string]> = [
  ['--primary', '#2f5bd3'],
  ['--success', '#1b7340'],
  ['--warning', '#8a5a00'],
  ['--danger', '#c42b2b'],
  ['--info', '#2249b8'],
  ['--muted', '#5a6477'],
];
const color = (i: number) => {
  const [name, fallback] = PALETTE[i % PALETTE.length]!;
  return themeColor(name, fallback);
};

type Line = { label: string; values: Series; peaks?: Series | null };

/** The chart lines (with the 5-minute maxima as dashed lines) and one summary sentence per series. */
function chart(h: ResourceHistory, lines: Line[], format: (v: number) => string) {
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

export function HistoryCharts({ range }: { range: RangeId }) {
  // The range goes with its answer, so the charts of the previous range stay labelled as such until the new one loads.
  const history = useLoad(() => getResourceHistory(range).then((h) => ({ h, range })), [range]);
  // Short ranges move every sample; the long ones only every 5 minutes.
  usePolling(history.reload, range === '7d' || range === '30d' ? 300_000 : 30_000);
  if (!history.data) return history.error ? <ErrorMessage message={history.error} /> : <Loading label="Loading the history…" />;
  const { h } = history.data;
  const rangeLabel = RANGES.find((r) => r.id === history.data!.range)!.label;

  const step = h.resolution === '10s' ? 'every 10 seconds' : 'averages and peaks of 5 minutes';
  const context = `last ${rangeLabel}, ${step}`;
  const max = h.max;
  const cpu = chart(h, [{ label: 'CPU', values: h.series.cpu, peaks: max?.cpu }], formatPct);
  const memory = chart(
    h,
    [
      { label: 'Memory', values: h.series.memUsedPct, peaks: max?.memUsedPct },
      { label: 'Swap', values: h.series.swapUsedPct, peaks: max?.swapUsedPct },
    ],
    formatPct,
  );
  const disks = chart(
    h,
    h.disks.map((d) => ({ label: `Disk ${d.mount}`, values: d.usedPct, peaks: d.usedPctMax })),
    formatPct,
  );
  const io = chart(
    h,
    [
      { label: 'Read', values: h.series.diskReadBps, peaks: max?.diskReadBps },
      { label: 'Write', values: h.series.diskWriteBps, peaks: max?.diskWriteBps },
    ],
    formatRate,
  );
  const net = chart(
    h,
    [
      { label: 'Received', values: h.series.netRxBps, peaks: max?.netRxBps },
      { label: 'Sent', values: h.series.netTxBps, peaks: max?.netTxBps },
    ],
    formatRate,
  );

  return (
    <div data-testid="resource-history" aria-busy={history.loading}>
      <ErrorMessage message={history.error} />
      <p class="muted small" data-testid="history-resolution">
        Last {rangeLabel}, {step}. {h.ts.length === 0 ? 'No samples were taken in this range yet.' : null}
      </p>
      <div class="chart-grid">
        <TimeChart title="CPU usage" context={context} testId="chart-cpu" ts={h.ts} lines={cpu.lines} summary={cpu.summary} format={formatPct} percent />
        <TimeChart title="Memory and swap in use" context={context} testId="chart-memory" ts={h.ts} lines={memory.lines} summary={memory.summary} format={formatPct} percent />
        <TimeChart title="Disk usage by mount" context={context} testId="chart-disks" ts={h.ts} lines={disks.lines} summary={disks.summary} format={formatPct} percent />
        <TimeChart title="Disk reads and writes" context={context} testId="chart-disk-io" ts={h.ts} lines={io.lines} summary={io.summary} format={formatRate} />
        <TimeChart title="Network traffic" context={context} testId="chart-network" ts={h.ts} lines={net.lines} summary={net.summary} format={formatRate} />
      </div>
    </div>
  );
}
