// One server in the list: name linking to its page, state, template, node, ports, limits, uptime, live use and quick
// power buttons.
import { useRef } from 'preact/hooks';
import type { Server } from '../../api/servers.types.ts';
import { useOnScreen } from '../../hooks/use-on-screen.ts';
import { Link } from '../../router/link.tsx';
import { PowerButtons } from './power-buttons.tsx';
import { limitsText, portText } from './server-format.ts';
import { ServerStateBadge } from './server-state-badge.tsx';
import { ServerUptimeFacts } from './server-uptime.tsx';
import { serverPath } from './servers-paths.ts';
import { usePolledStats } from './use-polled-stats.ts';
import { UsageBars } from './usage-bars.tsx';

type ServerCardProps = {
  server: Server;
  templateName: string;
  stopTimeoutSeconds: number | undefined;
  onServer: (server: Server) => void;
};

export function ServerCard({ server, templateName, stopTimeoutSeconds, onServer }: ServerCardProps) {
  const item = useRef<HTMLLIElement>(null);
  const inView = useOnScreen(item);
  const { stats, error } = usePolledStats(server.id, server.state, inView);
  const titleId = `server-${server.id}-title`;
  return (
    <li ref={item} class="card server-card" aria-labelledby={titleId} data-testid="server-card" data-server-id={server.id}>
      <div class="server-card-head">
        <h2 id={titleId} class="server-card-title">
          <Link href={serverPath(server.id)} data-testid="server-link">
            {server.name}
          </Link>
        </h2>
        <span>
          {server.suspended ? (
            <span class="badge badge-warning badge-inline" title={server.suspended.reason} data-testid="server-suspended-badge">
              Suspended
            </span>
          ) : null}
          <ServerStateBadge state={server.state} />
        </span>
      </div>
      <dl class="facts facts-inline">
        <dt>Template</dt>
        <dd data-testid="server-template">{templateName}</dd>
        <dt>Node</dt>
        <dd>{server.node}</dd>
        <dt>Ports</dt>
        <dd class="mono" data-testid="server-ports">
          {server.ports.length ? server.ports.map(portText).join(', ') : <span class="muted">None</span>}
        </dd>
        <dt>Limits</dt>
        <dd>{limitsText(server.limits)}</dd>
        <ServerUptimeFacts serverId={server.id} state={server.state} inView={inView} />
      </dl>
      <UsageBars stats={stats} limits={server.limits} />
      {error ? <p class="muted small">Figures unavailable: {error}</p> : null}
      <PowerButtons server={server} onServer={onServer} stopTimeoutSeconds={stopTimeoutSeconds} small />
    </li>
  );
}
