// One notification channel as a table row: where it sends, which alerts, how often, how the last delivery went, actions.
import type { AlertChannel, ChannelType } from '../../api/alerts.types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { formatDuration } from '../../util/format.ts';
import { SeverityBadge } from '../security/severity-badge.tsx';

export type ChannelRowActions = {
  onTest: (channel: AlertChannel) => void;
  onEdit: (channel: AlertChannel) => void;
  onToggle: (channel: AlertChannel) => void;
  onDelete: (channel: AlertChannel) => void;
};

type ChannelRowProps = ChannelRowActions & {
  channel: AlertChannel;
  types: ChannelType[];
  canManage: boolean;
  busy: boolean;
};

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Where the channel sends to, from its config as the API shows it (secrets hidden, URLs shortened). */
function targetOf(channel: AlertChannel): string {
  const c = channel.config;
  if (channel.type === 'email') {
    const to = Array.isArray(c['to']) ? c['to'].join(', ') : str(c['to']);
    return `${str(c['host'])}:${String(c['port'] ?? '')} → ${to}`;
  }
  return str(c['url']);
}

function LastDelivery({ channel }: { channel: AlertChannel }) {
  const failedLast = channel.lastFailedAt !== null && (channel.lastDeliveredAt === null || channel.lastFailedAt > channel.lastDeliveredAt);
  return (
    <>
      {channel.lastDeliveredAt ? <TimeText iso={channel.lastDeliveredAt} /> : <span class="muted">never</span>}
      {channel.lastFailedAt ? (
        <div class={failedLast ? 'small text-danger' : 'muted small'} data-testid="channel-last-error">
          failed <TimeText iso={channel.lastFailedAt} />
          {channel.lastError ? `: ${channel.lastError}` : null}
        </div>
      ) : null}
    </>
  );
}

export function ChannelRow({ channel, types, canManage, busy, ...actions }: ChannelRowProps) {
  const typeLabel = types.find((t) => t.type === channel.type)?.label ?? channel.type;
  return (
    <tr data-testid={`channel-row-${channel.name}`}>
      <th scope="row" class="cell-wrap">
        {channel.name}
        <div class="cell-note muted small">
          {typeLabel}
          {channel.allowPrivateNetwork ? ' · private network allowed' : null}
        </div>
        <div class="cell-note muted small mono">{targetOf(channel)}</div>
      </th>
      <td data-testid="channel-enabled">
        {channel.enabled ? <span class="badge badge-success">Enabled</span> : <span class="badge badge-neutral">Disabled</span>}
      </td>
      <td class="cell-shrink">
        <SeverityBadge severity={channel.minSeverity} />
        {channel.minSeverity !== 'critical' ? <span class="muted small"> and higher</span> : null}
        <div class="cell-badge">
          {channel.sources === null ? (
            <span class="small">from all sources</span>
          ) : (
            <ul class="chips" aria-label={`Sources of ${channel.name}`}>
              {channel.sources.map((source) => (
                <li key={source} class="chip chip-small">
                  {source}
                </li>
              ))}
            </ul>
          )}
        </div>
      </td>
      <td>{channel.sendOnResolve ? 'Yes' : 'No'}</td>
      <td>
        {channel.rateLimit.max} per {formatDuration(channel.rateLimit.windowSeconds)}
      </td>
      <td class="cell-shrink">
        <LastDelivery channel={channel} />
      </td>
      {canManage ? (
        <td>
          <div class="row-actions row-actions-compact">
            <button type="button" class="btn btn-small" onClick={() => actions.onTest(channel)} disabled={busy} data-testid="channel-test" aria-label={`Send a test message to ${channel.name}`}>
              Send test
            </button>
            <button type="button" class="btn btn-small" onClick={() => actions.onEdit(channel)} disabled={busy} data-testid="channel-edit" aria-label={`Change ${channel.name}`}>
              Edit
            </button>
            <button
              type="button"
              class="btn btn-small"
              onClick={() => actions.onToggle(channel)}
              disabled={busy}
              data-testid="channel-toggle"
              aria-label={`${channel.enabled ? 'Disable' : 'Enable'} ${channel.name}`}
            >
              {channel.enabled ? 'Disable' : 'Enable'}
            </button>
            <button
              type="button"
              class="btn btn-small btn-danger-outline"
              onClick={() => actions.onDelete(channel)}
              disabled={busy}
              data-testid="channel-delete"
              aria-label={`Delete ${channel.name}`}
            >
              Delete
            </button>
          </div>
        </td>
      ) : null}
    </tr>
  );
}
