// The history charts of the host (CPU, memory and swap, disk usage, disk I/O, network) for the range picked.
import { getResourceHistory, type RangeId } from '../../api/resources.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { chartOf as chart, historyPollMs, historyScope } from './chart-lines.ts';
import { formatPct, formatRate } from './format.ts';
import { TimeChart } from './time-chart.tsx';
import { usePolling } from '../../hooks/use-polling.ts';

export function HistoryCharts({ range }: { range: RangeId }) {
  // The range goes with its answer, so the charts of the previous range stay labelled as such until the new one loads.
  const history = useLoad(() => getResourceHistory(range).then((h) => ({ h, range })), [range]);
  usePolling(history.reload, historyPollMs(range));
  if (!history.data) return history.error ? <ErrorMessage message={history.error} /> : <Loading label="Loading the history…" />;
  const { h } = history.data;
  const { rangeLabel, step, context, span } = historyScope(h, history.data.range);
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
        <TimeChart title="CPU usage" context={context} testId="chart-cpu" range={span} ts={h.ts} lines={cpu.lines} summary={cpu.summary} format={formatPct} percent />
        <TimeChart title="Memory and swap in use" context={context} testId="chart-memory" range={span} ts={h.ts} lines={memory.lines} summary={memory.summary} format={formatPct} percent />
        <TimeChart title="Disk usage by mount" context={context} testId="chart-disks" range={span} ts={h.ts} lines={disks.lines} summary={disks.summary} format={formatPct} percent />
        <TimeChart title="Disk reads and writes" context={context} testId="chart-disk-io" range={span} ts={h.ts} lines={io.lines} summary={io.summary} format={formatRate} />
        <TimeChart title="Network traffic" context={context} testId="chart-network" range={span} ts={h.ts} lines={net.lines} summary={net.summary} format={formatRate} />
      </div>
    </div>
  );
}
