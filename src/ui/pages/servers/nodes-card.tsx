// Dashboard card: each Docker node, whether its engine answers (asked when the dashboard opens) and its free capacity.
import { listNodes } from '../../api/servers.api.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { capacityText } from './server-format.ts';

export function NodesCard() {
  const nodes = useLoad(listNodes);
  return (
    <div class="card" data-testid="dashboard-nodes">
      <h2>Docker nodes</h2>
      <ErrorMessage message={nodes.error} />
      {nodes.loading ? <Loading /> : null}
      {nodes.data ? (
        <ul class="link-list">
          {nodes.data.map((node) => (
            <li key={node.id} data-testid={`node-${node.name}`}>
              <strong>{node.name}</strong>{' '}
              {node.health?.reachable ? (
                <span class="badge badge-success" data-testid="node-health">
                  up{node.health.version ? `, Docker ${node.health.version}` : ''}
                </span>
              ) : (
                <span class="badge badge-danger" data-testid="node-health">
                  unreachable
                </span>
              )}
              {node.health && !node.health.reachable && node.health.error ? <div class="muted small">{node.health.error}</div> : null}
              {node.capacity ? (
                <div class="muted small" data-testid="node-capacity">
                  {capacityText(node.capacity)}
                </div>
              ) : null}
              {node.health ? (
                <div class="muted small">
                  Checked <TimeText iso={node.health.checkedAt} withSeconds />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
