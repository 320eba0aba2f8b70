// The Servers list: every server the user holds a scope on, kept current every few seconds, and the create form for
// those who may create servers.
import { useState } from 'preact/hooks';
import { listNodes, listServers, listTemplates } from '../../api/servers.api.ts';
import type { DockerNode, Server } from '../../api/servers.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { usePolling } from '../../hooks/use-polling.ts';
import { hasScope } from '../../session/scopes.ts';
import { useSession } from '../../session/session-context.ts';
import { ServerCard } from './server-card.tsx';
import { ServerCreateForm } from './server-create-form.tsx';
import { takeServersNotice } from './servers-notice.ts';

const LIST_POLL_MS = 5_000;

const DESCRIPTION =
  'Game and application servers, each in a hardened container of its own with its own network and data directory. ' +
  'You see the servers you hold a permission on.';

const noNodes = async (): Promise<DockerNode[] | null> => null;

export function ServerListView() {
  const session = useSession();
  const { user } = session;
  const canCreate = hasScope(user, 'server.create');
  const canSeeNodes = hasScope(user, 'nodes.view');
  const servers = useLoad(listServers);
  const templates = useLoad(listTemplates);
  const nodes = useLoad(canSeeNodes ? listNodes : noNodes, [canSeeNodes]);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(takeServersNotice);
  usePolling(servers.reload, LIST_POLL_MS);

  const replace = (server: Server) => servers.setData((items) => (items ?? []).map((s) => (s.id === server.id ? server : s)));
  const templateOf = (id: string) => templates.data?.find((t) => t.id === id);

  const onCreated = (server: Server) => {
    setCreating(false);
    servers.setData((items) => [...(items ?? []), server].sort((a, b) => a.name.localeCompare(b.name)));
    setNotice(`Server ${server.name} was created. It is stopped: open it to start it.`);
    // The new server's owner role is on the account now; reading the session again shows its actions.
    if (!hasScope(user, 'server.view')) void session.refresh();
  };

  const list = servers.data;
  return (
    <section>
      <PageHeader
        title="Servers"
        description={DESCRIPTION}
        actions={
          canCreate && !creating ? (
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                setNotice(null);
                setCreating(true);
              }}
              data-testid="server-new"
            >
              Create server
            </button>
          ) : null
        }
      />
      {creating ? (
        templates.data && !nodes.loading ? (
          <ServerCreateForm templates={templates.data} nodes={nodes.data} onCreated={onCreated} onCancel={() => setCreating(false)} />
        ) : templates.error ? null : (
          <Loading label="Loading the templates…" />
        )
      ) : null}
      {creating ? <ErrorMessage message={templates.error ?? nodes.error} /> : null}
      <Notice message={notice} />
      {list ? (
        list.length === 0 ? (
          <p class="card muted" data-testid="servers-empty">
            {canCreate ? 'No servers yet. Create one from a template.' : 'You do not have access to any server yet; an administrator can grant it.'}
          </p>
        ) : (
          <ul class="server-grid" aria-label="Servers" data-testid="servers-list">
            {list.map((server) => {
              const template = templateOf(server.template);
              return (
                <ServerCard
                  key={server.id}
                  server={server}
                  templateName={template?.name ?? server.template}
                  stopTimeoutSeconds={template?.stop.timeoutSeconds}
                  onServer={replace}
                />
              );
            })}
          </ul>
        )
      ) : servers.error ? null : (
        <Loading />
      )}
      <ErrorMessage message={servers.error} />
    </section>
  );
}
