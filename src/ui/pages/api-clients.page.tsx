// API clients page: OAuth2 client credentials for scripts and tools; create, new secret, revoke tokens, disable and delete.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  deleteClient,
  getClientsMeta,
  listClients,
  regenerateClientSecret,
  revokeClientTokens,
  setClientDisabled,
} from '../api/clients.api.ts';
import type { ApiClient, ApiClientSecret, ApiClientsMeta } from '../api/types.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { hasScope } from '../session/scopes.ts';
import { useSession } from '../session/session-context.ts';
import { ClientConfirmDialog, type PendingClientConfirm } from './api-clients/client-confirm-dialog.tsx';
import { ClientCreateForm } from './api-clients/client-create-form.tsx';
import type { ClientAction } from './api-clients/client-row.tsx';
import { ClientSecretPanel } from './api-clients/client-secret-panel.tsx';
import { ClientsTable } from './api-clients/clients-table.tsx';
import { useRowActions } from '../hooks/use-row-actions.ts';

type Panel =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'secret'; result: ApiClientSecret; secretKind: 'created' | 'regenerated' };

const noClients = async (): Promise<ApiClient[]> => [];
const noMeta = async (): Promise<ApiClientsMeta | null> => null;

const DESCRIPTION =
  'Scripts and tools use the API with OAuth2 client credentials: a client ID and secret, exchanged for access tokens. ' +
  'A client gets a subset of your scopes and loses any of them when you do. Its tokens expire after the lifetime you set.';

export function ApiClientsPage() {
  const session = useSession();
  const canView = hasScope(session.user, 'clients.view');
  const canEdit = hasScope(session.user, 'clients.edit');
  const currentUserId = session.user?.id ?? null;
  const clients = useLoad(canView ? listClients : noClients, [canView]);
  const meta = useLoad<ApiClientsMeta | null>(canView ? getClientsMeta : noMeta, [canView]);
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [toConfirm, setToConfirm] = useState<PendingClientConfirm | null>(null);
  const { busyId, error, setError, notice, setNotice, run } = useRowActions();
  const newButton = useRef<HTMLButtonElement>(null);
  const panelClosed = useRef(false);

  useEffect(() => {
    // Back from the form or the secret: keyboard users continue from the button that opens the form.
    if (panel.kind === 'none' && panelClosed.current) newButton.current?.focus();
    panelClosed.current = false;
  }, [panel]);

  const closePanel = () => {
    panelClosed.current = true;
    setPanel({ kind: 'none' });
  };

  const replaceClient = (client: ApiClient) =>
    clients.setData((prev) => (prev ?? []).map((item) => (item.id === client.id ? client : item)));

  const runAction = (client: ApiClient, action: () => Promise<string>) => run(client.id, action);

  const actions: Record<ClientAction, (client: ApiClient) => Promise<void>> = {
    regenerate: (client) =>
      runAction(client, async () => {
        const result = await regenerateClientSecret(client.id);
        replaceClient(result.client);
        setPanel({ kind: 'secret', result, secretKind: 'regenerated' });
        return `${client.name} has a new secret. The old one no longer works and its tokens were revoked.`;
      }),
    'revoke-tokens': (client) =>
      runAction(client, async () => {
        const revoked = await revokeClientTokens(client.id);
        replaceClient({ ...client, activeTokens: 0 });
        return `${revoked} token${revoked === 1 ? '' : 's'} of ${client.name} ${revoked === 1 ? 'was' : 'were'} revoked.`;
      }),
    'toggle-disabled': (client) =>
      runAction(client, async () => {
        const updated = await setClientDisabled(client.id, !client.disabled);
        replaceClient(updated);
        return updated.disabled ? `${client.name} is now disabled and its tokens were revoked.` : `${client.name} is now enabled.`;
      }),
    delete: (client) =>
      runAction(client, async () => {
        await deleteClient(client.id);
        clients.setData((prev) => (prev ?? []).filter((item) => item.id !== client.id));
        setPanel((prev) => (prev.kind === 'secret' && prev.result.client.id === client.id ? { kind: 'none' } : prev));
        return `${client.name} was deleted and its tokens were revoked.`;
      }),
  };

  const confirm = async () => {
    if (!toConfirm) return;
    await actions[toConfirm.action](toConfirm.client);
    setToConfirm(null);
  };

  const openCreate = () => {
    setNotice(null);
    setError(null);
    setPanel({ kind: 'create' });
  };

  const created = (result: ApiClientSecret) => {
    clients.setData((prev) => [...(prev ?? []), result.client]);
    setPanel({ kind: 'secret', result, secretKind: 'created' });
    setNotice(`Client ${result.client.name} was created.`);
  };

  let emptyText = 'No API clients yet.';
  if (!canView) emptyText = 'Your roles do not include clients.view, so existing clients are not listed. Clients you create now appear here.';
  else if (canEdit) emptyText += ' Create one for each script or tool that uses the API.';

  return (
    <section>
      <PageHeader
        title="API clients"
        description={DESCRIPTION}
        actions={
          canEdit && panel.kind === 'none' ? (
            <button
              ref={newButton}
              type="button"
              class="btn btn-primary"
              onClick={openCreate}
              disabled={meta.loading}
              data-testid="client-new"
            >
              New client
            </button>
          ) : null
        }
      />
      {canEdit ? null : (
        <p class="muted" data-testid="clients-read-only">
          You can see these clients but not change them; that needs the clients.edit scope.
        </p>
      )}
      <ErrorMessage message={meta.error} />
      {panel.kind === 'create' ? (
        <ClientCreateForm meta={meta.data} heldScopes={session.user?.scopes ?? []} onCreated={created} onCancel={closePanel} />
      ) : null}
      {/* Shown once the confirmation dialog is gone, so the two do not compete for focus. */}
      {panel.kind === 'secret' && toConfirm === null ? (
        <ClientSecretPanel
          key={panel.result.clientSecret}
          result={panel.result}
          kind={panel.secretKind}
          tokenUrl={meta.data?.tokenUrl ?? null}
          onDone={closePanel}
        />
      ) : null}
      <Notice message={notice} />
      <ErrorMessage message={error ?? clients.error} />
      {clients.loading ? (
        <Loading />
      ) : (
        <ClientsTable
          clients={clients.data ?? []}
          canEdit={canEdit}
          currentUserId={currentUserId}
          busyId={busyId}
          emptyText={emptyText}
          onAction={(action, client) => setToConfirm({ action, client })}
        />
      )}
      <ClientConfirmDialog
        pending={toConfirm}
        busy={toConfirm !== null && busyId === toConfirm.client.id}
        onCancel={() => setToConfirm(null)}
        onConfirm={confirm}
      />
    </section>
  );
}
