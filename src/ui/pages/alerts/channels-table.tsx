// The table of notification channels, by name.
import type { AlertChannel, ChannelType } from '../../api/alerts.types.ts';
import { ChannelRow, type ChannelRowActions } from './channel-row.tsx';

type ChannelsTableProps = ChannelRowActions & {
  channels: AlertChannel[];
  types: ChannelType[];
  canManage: boolean;
  busyId: string | null;
};

export function ChannelsTable({ channels, types, canManage, busyId, ...actions }: ChannelsTableProps) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="channels-table">
        <caption class="visually-hidden">Notification channels</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Enabled</th>
            <th scope="col">Alerts it gets</th>
            <th scope="col">On resolve</th>
            <th scope="col">Rate limit</th>
            <th scope="col">Last delivery</th>
            {canManage ? (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {channels.length === 0 ? (
            <tr>
              <td colSpan={canManage ? 7 : 6} class="empty" data-testid="channels-empty">
                No channel is set up: alerts are only shown here, nobody is notified.
              </td>
            </tr>
          ) : (
            channels.map((channel) => (
              <ChannelRow key={channel.id} channel={channel} types={types} canManage={canManage} busy={busyId === channel.id} {...actions} />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
