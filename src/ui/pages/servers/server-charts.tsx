// Live charts of a server's CPU and memory over the last few minutes, with a text summary of each.
import type { ServerLimits } from '../../api/servers.types.ts';
import { describeSeries, formatBytes, formatPct } from '../resources/format.ts';
import { themeColor, TimeChart } from '../resources/time-chart.tsx';
import '../resources/resources.css';
import { cpuText } from './server-format.ts';
import { STATS_WINDOW_MS, type StatsHistory } from './use-stats-history.ts';

const CONTEXT = 'last 5 minutes, every 2 seconds';
const SPAN_SECONDS = STATS_WINDOW_MS / 1000;

export function ServerCharts({ history, limits }: { history: StatsHistory; limits: ServerLimits }) {
  const { ts } = history;
  const cpu = describeSeries(ts, history.cpuPct, formatPct);
  const memory = describeSeries(ts, history.memoryBytes, formatBytes);
  const memoryLimit = limits.memoryMb * 1024 * 1024;
  const none = ts.length === 0 ? 'no figures yet' : 'the server was not running';
  return (
    <section class="servers-section" aria-labelledby="server-charts-title">
      <h2 id="server-charts-title">Live figures</h2>
      <p class="muted small">
        The last 5 minutes while this page is open. CPU: 100 % is one core; the limit is {cpuText(limits.cpu)}. Memory limit {formatBytes(memoryLimit)}.
      </p>
      <div class="chart-grid">
        <TimeChart
          title="CPU use"
          context={CONTEXT}
          testId="chart-server-cpu"
          ts={ts}
          lines={[{ label: 'CPU', values: history.cpuPct, color: themeColor('--primary', '#2f5bd3') }]}
          summary={[`CPU: ${cpu ?? none}.`]}
          format={formatPct}
          yMax={limits.cpu * 100}
          spanSeconds={SPAN_SECONDS}
        />
        <TimeChart
          title="Memory in use"
          context={CONTEXT}
          testId="chart-server-memory"
          ts={ts}
          lines={[{ label: 'Memory', values: history.memoryBytes, color: themeColor('--success', '#1b7340') }]}
          summary={[`Memory: ${memory ?? none} of ${formatBytes(memoryLimit)}.`]}
          format={formatBytes}
          yMax={memoryLimit}
          spanSeconds={SPAN_SECONDS}
        />
      </div>
    </section>
  );
}
