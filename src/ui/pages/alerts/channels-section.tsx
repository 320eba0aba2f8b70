// Channels section of the Alerts page: where notifications go (e-mail, webhook, Discord, Slack), with add, change,
// enable/disable, delete and a test message.
import { useState } from 'preact/hooks';
import { deleteChannel, listChannels, testChannel, updateChannel } from '../../api/alert-channels.api.ts';
import type { AlertChannel } from '../../api/alerts.types.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { hasScope } from '../../session/scopes.ts';
import { useSession } from '../../session/session-context.ts';
import { ChannelForm } from './channel-form.tsx';
import { ChannelsTable } from './channels-table.tsx';

type Panel = { kind: 'none' } | { kind: 'create' } | { kind: 'edit'; channel: AlertChannel };

const byName = (a: AlertChannel, b: AlertChannel) => a.name.localeCompare(b.name);

export function ChannelsSection({ canManage }: { canManage: boolean }) {
  const { user } = useSession();
  const isAdmin = hasScope(user, 'admin');
  const channels = useLoad(listChannels);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [toDelete, setToDelete] = useState<AlertChannel | null>(null);
  const { busyId, error, setError, notice, setNotice, run } = useRowActions();
  const items = channels.data?.items ?? [];
  const types = channels.data?.types ?? [];

  const put = (channel: AlertChannel) =>
    channels.setData((prev) => ({
      types: prev?.types ?? [],
      items: [...(prev?.items ?? []).filter((item) => item.id !== channel.id), channel].sort(byName),
    }));

  const open = (next: Panel) => {
    setError(null);
    setNotice(null);
    setPanel(next);
  };

  const sendTest = (channel: AlertChannel) =>
    run(channel.id, async () => {
      const result = await testChannel(channel.id);
      if (!result.delivered) throw new Error(`The test message to ${channel.name} was not delivered: ${result.error ?? 'no reason given'}.`);
      return `The test message to ${channel.name} was delivered.`;
    });

  const toggle = (channel: AlertChannel) =>
    run(channel.id, async () => {
      const updated = await updateChannel(channel.id, { enabled: !channel.enabled });
      put(updated);
      return updated.enabled ? `${channel.name} is enabled: it gets alerts again.` : `${channel.name} is disabled: it gets no alerts until enabled.`;
    });

  const confirmDelete = async () => {
    const channel = toDelete;
    if (!channel) return;
    await run(channel.id, async () => {
      await deleteChannel(channel.id);
      channels.setData((prev) => ({ types: prev?.types ?? [], items: (prev?.items ?? []).filter((item) => item.id !== channel.id) }));
      if (panel.kind === 'edit' && panel.channel.id === channel.id) setPanel({ kind: 'none' });
      return `${channel.name} was deleted.`;
    });
    setToDelete(null);
  };

  return (
    <section aria-labelledby="channels-title">
      <div class="section-head">
        <h2 id="channels-title">Channels</h2>
        <div class="section-tools">
          {canManage && panel.kind !== 'create' ? (
            <button type="button" class="btn btn-small btn-primary" onClick={() => open({ kind: 'create' })} disabled={channels.loading} data-testid="channel-new">
              New channel
            </button>
          ) : null}
          <button type="button" class="btn btn-small" onClick={channels.reload} disabled={channels.loading} data-testid="channels-refresh">
            Refresh
          </button>
        </div>
      </div>
      <p class="muted">
        Each channel gets the alerts of its sources from its lowest severity up. Past its rate limit, alerts are gathered into one digest.
        Failed messages are retried. Secrets (passwords, signing keys, webhook tokens) are never shown again once saved.
      </p>
      {!canManage ? (
        <p class="muted small" data-testid="channels-read-only">
          You can see the channels but not change or test them; that needs the alerts.manage scope.
        </p>
      ) : null}
      {panel.kind === 'create' ? (
        <ChannelForm
          channel={null}
          types={types}
          isAdmin={isAdmin}
          onCancel={() => setPanel({ kind: 'none' })}
          onSaved={(channel) => {
            put(channel);
            setPanel({ kind: 'none' });
            setNotice(`${channel.name} was added. Send it a test message to check that it arrives.`);
          }}
        />
      ) : null}
      {panel.kind === 'edit' ? (
        <ChannelForm
          key={panel.channel.id}
          channel={panel.channel}
          types={types}
          isAdmin={isAdmin}
          onCancel={() => setPanel({ kind: 'none' })}
          onSaved={(channel) => {
            put(channel);
            setPanel({ kind: 'none' });
            setNotice(`Changes to ${channel.name} were saved.`);
          }}
        />
      ) : null}
      <Notice message={notice} />
      <ErrorMessage message={error ?? channels.error} />
      {channels.loading ? (
        <Loading />
      ) : (
        <ChannelsTable
          channels={items}
          types={types}
          canManage={canManage}
          busyId={busyId}
          onTest={sendTest}
          onEdit={(channel) => open({ kind: 'edit', channel })}
          onToggle={toggle}
          onDelete={setToDelete}
        />
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title="Delete channel?"
        confirmLabel="Delete channel"
        danger
        busy={toDelete !== null && busyId === toDelete.id}
        onCancel={() => setToDelete(null)}
        onConfirm={confirmDelete}
      >
        <p>
          <strong>{toDelete?.name}</strong> gets no more alerts, and its messages not yet sent are dropped. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
