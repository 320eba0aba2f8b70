// One server: its header with the power buttons, and its sections: the live console with CPU and memory charts, its
// files, its backups, its history over hours to 30 days, and its settings with Suspend and Delete. The console socket also brings state changes and
// figures; without it they are polled.
import { useMemo, useState } from 'preact/hooks';
import { getServerStats, listTemplates } from '../../api/servers.api.ts';
import type { Server } from '../../api/servers.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { SectionNav } from '../../components/section-nav.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { usePolling } from '../../hooks/use-polling.ts';
import { Link } from '../../router/link.tsx';
import { hasScope, mayOnServer } from '../../session/scopes.ts';
import { useSession } from '../../session/session-context.ts';
import { createConsoleBuffer } from './console-buffer.ts';
import { PowerButtons } from './power-buttons.tsx';
import { FileManager } from './files/file-manager.tsx';
import { ServerBackups } from './server-backups.tsx';
import { ServerCharts } from './server-charts.tsx';
import { ServerConsole } from './server-console.tsx';
import { ServerDelete } from './server-delete.tsx';
import { ServerHistoryCharts } from './server-history.tsx';
import { portText } from './server-format.ts';
import { ServerSettings } from './server-settings.tsx';
import { ServerStateBadge } from './server-state-badge.tsx';
import { ServerSuspension, SuspendedNotice } from './server-suspension.tsx';
import { serverSections, SERVERS_PATH, type ServerSection } from './servers-paths.ts';
import { useConsoleSocket } from './use-console-socket.ts';
import { useServerDetail } from './use-server-detail.ts';
import { STATS_POLL_MS } from './use-polled-stats.ts';
import { useStatsHistory } from './use-stats-history.ts';

export function ServerDetailView({ id, section }: { id: string; section: ServerSection }) {
  const detail = useServerDetail(id);
  const session = useSession();
  const templates = useLoad(listTemplates);
  const buffer = useMemo(() => createConsoleBuffer(), [id]);
  const stats = useStatsHistory();
  const [consoleError, setConsoleError] = useState<string | null>(null);

  const connection = useConsoleSocket(id, {
    onHistory: buffer.reset,
    onOutput: buffer.append,
    onState: (state) => {
      detail.setServer((prev) => ({ ...prev, state }));
      // A stop, start or crash also changes the record (exit code, crash count, times).
      if (state !== 'starting' && state !== 'stopping') detail.reload();
    },
    onStats: stats.push,
    onError: setConsoleError,
  });

  // Without the console socket (no permission, or it is down) the state and figures are read every few seconds.
  usePolling(() => {
    if (connection.state === 'live') return;
    detail.reload();
    if (detail.server?.state === 'running') getServerStats(id).then(stats.push, () => undefined);
  }, STATS_POLL_MS);

  const server = detail.server;
  const template = templates.data?.find((t) => t.id === server?.template);
  const onServer = (next: Server) => detail.setServer(() => next);
  const send = (command: string) => {
    setConsoleError(null);
    const sent = connection.send(command);
    if (!sent) setConsoleError('The console is not connected; the command was not sent.');
    return sent;
  };

  return (
    <section>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <Link href={SERVERS_PATH} data-testid="server-back">
          Servers
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{server?.name ?? 'Server'}</span>
      </nav>
      <PageHeader
        title={server?.name ?? 'Server'}
        description={
          server ? (
            <span class="server-headline">
              <ServerStateBadge state={server.state} />
              <span>
                {template?.name ?? server.template} · node {server.node}
              </span>
              {server.ports.length ? (
                <span class="mono" data-testid="server-ports">
                  {server.ports.map(portText).join(', ')}
                </span>
              ) : null}
            </span>
          ) : undefined
        }
        actions={server ? <PowerButtons server={server} onServer={onServer} stopTimeoutSeconds={template?.stop.timeoutSeconds} /> : undefined}
      />
      {detail.loading ? <Loading /> : null}
      <ErrorMessage message={detail.errorStatus === 404 ? 'There is no such server (it may have been deleted).' : detail.error} />
      {server ? (
        <>
          <SuspendedNotice server={server} />
          <SectionNav label="Server sections" sections={serverSections(id, server.myScopes)} current={section} testIdPrefix="server-tab" />
          {section === 'console' ? (
            <>
              <ServerConsole
                server={server}
                buffer={buffer}
                connection={connection}
                canSend={mayOnServer(server, 'server.console.send')}
                error={consoleError}
                onSend={send}
              />
              <ServerCharts history={stats.history} limits={server.limits} />
            </>
          ) : section === 'files' ? (
            mayOnServer(server, 'server.files.view') ? (
              <FileManager server={server} />
            ) : (
              <ErrorMessage message="You may not see this server's files (server.files.view)." />
            )
          ) : section === 'backups' ? (
            mayOnServer(server, 'server.backup.view') ? (
              <ServerBackups server={server} onRestored={detail.reload} />
            ) : (
              <ErrorMessage message="You may not see this server's backups (server.backup.view)." />
            )
          ) : section === 'history' ? (
            <ServerHistoryCharts server={server} />
          ) : (
            <>
              <ServerSettings server={server} template={template} />
              {hasScope(session.user, 'servers.suspend') ? <ServerSuspension server={server} onServer={onServer} /> : null}
              {mayOnServer(server, 'server.delete') ? <ServerDelete server={server} /> : null}
            </>
          )}
        </>
      ) : null}
    </section>
  );
}
