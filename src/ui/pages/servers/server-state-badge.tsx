// A badge naming a server's state in words (running, stopped, crashed, …), coloured from calm to alarming.
import type { ServerState } from '../../api/servers.types.ts';
import { stateLabels } from './server-format.ts';

const stateClass: Record<ServerState, string> = {
  running: 'badge badge-success',
  starting: 'badge badge-info',
  stopping: 'badge badge-info',
  stopped: 'badge badge-neutral',
  crashed: 'badge badge-danger',
  unknown: 'badge badge-warning',
};

export function ServerStateBadge({ state }: { state: ServerState }) {
  return (
    <span class={stateClass[state] ?? 'badge badge-neutral'} data-testid="server-state" data-state={state}>
      {stateLabels[state] ?? state}
    </span>
  );
}
