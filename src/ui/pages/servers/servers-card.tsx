// Dashboard card: how many of the user's servers are in each state, linking to the list.
import { Fragment } from 'preact';
import { listServers } from '../../api/servers.api.ts';
import { SERVER_STATES, type Server, type ServerState } from '../../api/servers.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { Link } from '../../router/link.tsx';
import { stateLabels } from './server-format.ts';
import { SERVERS_PATH } from './servers-paths.ts';

/** Always listed; the passing states only when a server is in one. */
const ALWAYS: ReadonlySet<ServerState> = new Set(['running', 'stopped', 'crashed']);

function countByState(servers: Server[]): Record<ServerState, number> {
  const counts = Object.fromEntries(SERVER_STATES.map((s) => [s, 0])) as Record<ServerState, number>;
  for (const server of servers) counts[server.state] += 1;
  return counts;
}

export function ServersCard() {
  const servers = useLoad(listServers);
  const list = servers.data;
  const counts = list ? countByState(list) : null;
  return (
    <div class="card" data-testid="dashboard-servers">
      <h2>Servers</h2>
      <ErrorMessage message={servers.error} />
      {servers.loading ? <Loading /> : null}
      {list && counts ? (
        <>
          {list.length ? (
            <dl class="facts">
              {SERVER_STATES.filter((s) => ALWAYS.has(s) || counts[s] > 0).map((state) => (
                <Fragment key={state}>
                  <dt>{stateLabels[state]}</dt>
                  <dd data-testid={`dashboard-servers-${state}`}>{counts[state]}</dd>
                </Fragment>
              ))}
            </dl>
          ) : (
            <p class="muted mini-empty" data-testid="dashboard-servers-none">
              No servers yet.
            </p>
          )}
          <p class="card-link">
            <Link href={SERVERS_PATH}>Go to the servers</Link>
          </p>
        </>
      ) : null}
    </div>
  );
}
