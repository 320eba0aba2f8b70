// The host's latest figures: CPU, load, memory, swap, disk and network rates, and each disk's usage.
import type { CurrentResources, ResourceSample } from '../../api/resources.api.ts';
import { TimeText } from '../../components/time-text.tsx';
import { formatBytes, formatLoad, formatPct, formatRate } from './format.ts';

const rate = (bps: number | null) => (bps === null ? '—' : formatRate(bps));

function Figure({ label, value, detail, testId, small }: { label: string; value: string; detail?: string; testId: string; small?: boolean }) {
  return (
    <div class="card figure-card" data-testid={testId}>
      <h3 class="figure-label">{label}</h3>
      <p class={small ? 'figure-value figure-value-small' : 'figure-value'}>{value}</p>
      {detail ? <p class="muted small figure-detail">{detail}</p> : null}
    </div>
  );
}

function DisksTable({ sample }: { sample: ResourceSample }) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="disks-table">
        <caption class="visually-hidden">Disk usage by mount</caption>
        <thead>
          <tr>
            <th scope="col">Mount</th>
            <th scope="col">Used</th>
            <th scope="col">Used of size</th>
          </tr>
        </thead>
        <tbody>
          {sample.disks.length === 0 ? (
            <tr>
              <td colSpan={3} class="empty">
                No disk reported.
              </td>
            </tr>
          ) : (
            sample.disks.map((d) => (
              <tr key={d.mount}>
                <th scope="row" class="mono">
                  {d.mount}
                </th>
                <td>
                  <meter class="usage-meter" min={0} max={100} low={85} high={90} optimum={0} value={d.usedPct} aria-label={`${d.mount} used`} /> {formatPct(d.usedPct)}
                </td>
                <td>
                  {formatBytes(d.usedBytes)} of {formatBytes(d.sizeBytes)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

export function CurrentFigures({ current }: { current: CurrentResources }) {
  const s = current.sample;
  if (!s) {
    return (
      <p class="alert alert-info" data-testid="resources-no-sample">
        {current.running
          ? 'Waiting for the first sample of the host.'
          : 'Resource monitoring is not running: it is turned off in the configuration (resources.enabled), so there are no current figures.'}
      </p>
    );
  }
  const perCpu = s.load15 / Math.max(1, s.cpuCount);
  return (
    <div data-testid="resources-current">
      <p class="muted small">
        Host <span class="mono">{current.host}</span>, sampled <TimeText iso={s.ts} withSeconds /> (every {current.intervalSeconds} s).
      </p>
      <div class="figure-grid">
        <Figure label="CPU" value={formatPct(s.cpu)} detail={`${s.cpuCount} CPU${s.cpuCount === 1 ? '' : 's'}`} testId="figure-cpu" />
        <Figure
          label="Load (1, 5, 15 min)"
          value={`${formatLoad(s.load1)} · ${formatLoad(s.load5)} · ${formatLoad(s.load15)}`}
          detail={`${formatLoad(perCpu)} per CPU over 15 min`}
          testId="figure-load"
          small
        />
        <Figure label="Memory" value={formatPct(s.memUsedPct)} detail={`${formatBytes(s.memUsedBytes)} of ${formatBytes(s.memTotalBytes)} in use`} testId="figure-memory" />
        <Figure label="Swap" value={s.swapUsedPct === null ? 'None' : formatPct(s.swapUsedPct)} detail={s.swapUsedPct === null ? 'The host has no swap.' : undefined} testId="figure-swap" />
        <Figure label="Disk I/O" value={`${rate(s.diskReadBps)} read`} detail={`${rate(s.diskWriteBps)} written`} testId="figure-disk-io" />
        <Figure label="Network" value={`${rate(s.netRxBps)} in`} detail={`${rate(s.netTxBps)} out`} testId="figure-network" />
      </div>
      <h3 class="subsection-title">Disks</h3>
      <DisksTable sample={s} />
    </div>
  );
}
