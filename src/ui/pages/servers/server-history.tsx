// A server's history over the range picked: CPU, memory, network and disk use, against its limits.
import { useState } from 'preact/hooks';
import type { RangeId } from '../../api/resources.api.ts';
import { getServerHistory } from '../../api/servers.api.ts';
import type { Server } from '../../api/servers.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { usePolling } from '../../hooks/use-polling.ts';
import { chartOf, historyPollMs, historyScope } from '../resources/chart-lines.ts';
import { formatBytes, formatPct, formatRate } from '../resources/format.ts';
import { RangePicker } from '../resources/range-picker.tsx';
import { TimeChart } from '../resources/time-chart.tsx';
import '../resources/resources.css';
import { cpuText } from './server-format.ts';

const MB = 1024 * 1024;

export function ServerHistoryCharts({ server }: { server: Server }) {
  const [range, setRange] = useState<RangeId>('1h');
  // The range goes with its answer, so the charts of the previous range stay labelled as such until the new one loads.
  const history = useLoad(() => getServerHistory(server.id, range).then((h) => ({ h, range })), [server.id, range]);
  usePolling(history.reload, historyPollMs(range));

  const { limits } = server;
  const body = () => {
    if (!history.data) return history.error ? <ErrorMessage message={history.error} /> : <Loading label="Loading the history…" />;
    const { h } = history.data;
    const { rangeLabel, step, context, span } = historyScope(h, history.data.range);
    const max = h.max;
    const cpu = chartOf(h, [{ label: 'CPU', values: h.series.cpuPct, peaks: max?.cpuPct }], formatPct);
    const memory = chartOf(h, [{ label: 'Memory', values: h.series.memoryBytes, peaks: max?.memoryBytes }], formatBytes);
    const net = chartOf(
      h,
      [
        { label: 'Received', values: h.series.netRxBps, peaks: max?.netRxBps },
        { label: 'Sent', values: h.series.netTxBps, peaks: max?.netTxBps },
      ],
      formatRate,
    );
    const disk = chartOf(h, [{ label: 'Data directory', values: h.series.diskBytes, peaks: max?.diskBytes }], formatBytes);
    return (
      <div data-testid="server-history" aria-busy={history.loading}>
        <ErrorMessage message={history.error} />
        <p class="muted small" data-testid="server-history-resolution">
          Last {rangeLabel}, {step}. CPU: 100 % is one core; the limit is {cpuText(limits.cpu)}.{' '}
          {!h.sampling
            ? 'Resource monitoring is off (resources.enabled in the configuration), so no history is taken.'
            : h.ts.length === 0
              ? 'The server did not run in this range.'
              : 'Gaps are times the server was not running.'}
        </p>
        <div class="chart-grid">
          <TimeChart title="CPU use" context={context} testId="chart-server-history-cpu" range={span} ts={h.ts} lines={cpu.lines} summary={cpu.summary} format={formatPct} yMax={limits.cpu * 100} />
          <TimeChart
            title="Memory in use"
            context={context}
            testId="chart-server-history-memory"
            range={span}
            ts={h.ts}
            lines={memory.lines}
            summary={[...memory.summary, `Limit: ${formatBytes(limits.memoryMb * MB)}.`]}
            format={formatBytes}
            yMax={limits.memoryMb * MB}
          />
          <TimeChart title="Network traffic" context={context} testId="chart-server-history-network" range={span} ts={h.ts} lines={net.lines} summary={net.summary} format={formatRate} />
          <TimeChart
            title="Data directory size"
            context={context}
            testId="chart-server-history-disk"
            range={span}
            ts={h.ts}
            lines={disk.lines}
            summary={[...disk.summary, `Limit: ${formatBytes(limits.diskMb * MB)}.`]}
            format={formatBytes}
          />
        </div>
      </div>
    );
  };

  return (
    <section class="servers-section" aria-labelledby="server-history-title">
      <div class="section-head">
        <h2 id="server-history-title">History</h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {body()}
    </section>
  );
}
