// A server's use of its limits as bars with the figures beside them: CPU (100 % is one core), memory and disk.
import type { ServerLimits, ServerStats } from '../../api/servers.types.ts';
import { formatBytes, formatPct } from '../resources/format.ts';
import { cpuText } from './server-format.ts';

type BarProps = { label: string; value: number | null; max: number; text: string; testId: string };

function Bar({ label, value, max, text, testId }: BarProps) {
  return (
    <div class="usage-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        {value === null ? (
          <span class="usage-meter usage-meter-empty" aria-hidden="true" />
        ) : (
          <meter class="usage-meter" min={0} max={max} low={max * 0.75} high={max * 0.9} optimum={0} value={Math.min(value, max)} aria-label={`${label} used`} />
        )}
        <span class="usage-text">{text}</span>
      </dd>
    </div>
  );
}

/** stats null: not measured yet. */
export function UsageBars({ stats, limits }: { stats: ServerStats | null; limits: ServerLimits }) {
  const on = stats?.running === true;
  const memLimit = stats?.memoryLimitBytes || limits.memoryMb * 1024 * 1024;
  const diskLimit = stats?.diskLimitBytes || limits.diskMb * 1024 * 1024;
  return (
    <dl class="usage" aria-label="Resource use">
      <Bar
        label="CPU"
        value={on ? stats.cpuPct : null}
        max={limits.cpu * 100}
        text={on ? `${formatPct(stats.cpuPct)} · limit ${cpuText(limits.cpu)}` : `limit ${cpuText(limits.cpu)}`}
        testId="usage-cpu"
      />
      <Bar
        label="Memory"
        value={on ? stats.memoryBytes : null}
        max={memLimit}
        text={`${on ? formatBytes(stats.memoryBytes) : '—'} of ${formatBytes(memLimit)}`}
        testId="usage-memory"
      />
      <Bar
        label="Disk"
        value={stats ? stats.diskBytes : null}
        max={diskLimit}
        text={`${stats ? formatBytes(stats.diskBytes) : '—'} of ${formatBytes(diskLimit)}`}
        testId="usage-disk"
      />
    </dl>
  );
}
