// One row of the API clients table, with the actions the signed-in user is allowed to take.
import type { ApiClient } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';
import { formatDuration } from '../../util/format.ts';

export type ClientAction = 'regenerate' | 'revoke-tokens' | 'toggle-disabled' | 'delete';

type ClientRowProps = {
  client: ApiClient;
  canEdit: boolean;
  showOwner: boolean;
  isOwn: boolean;
  busy: boolean;
  onAction: (action: ClientAction, client: ApiClient) => void;
};

/** A scope; a per-server one (scope:serverId) may break after its colon when the column is narrow. */
function ScopeText({ scope }: { scope: string }) {
  const colon = scope.indexOf(':');
  if (colon < 0) return <>{scope}</>;
  return (
    <>
      {scope.slice(0, colon + 1)}
      <wbr />
      {scope.slice(colon + 1)}
    </>
  );
}

export function ClientRow({ client, canEdit, showOwner, isOwn, busy, onAction }: ClientRowProps) {
  const button = (action: ClientAction, label: string, ariaLabel: string, testId: string, danger = false) => (
    <button
      type="button"
      class={danger ? 'btn btn-small btn-danger-outline' : 'btn btn-small'}
      onClick={() => onAction(action, client)}
      disabled={busy}
      data-testid={testId}
      aria-label={ariaLabel}
    >
      {label}
    </button>
  );
  const toggleLabel = client.disabled ? 'Enable' : 'Disable';

  return (
    <tr data-testid={`client-row-${client.name}`}>
      <th scope="row" class="cell-wrap">
        {client.name}
        <div class="muted mono small" data-testid="client-id">
          {client.id}
        </div>
        <div class="cell-badge" data-testid="client-status">
          {client.disabled ? <span class="badge badge-danger">Disabled</span> : <span class="badge badge-success">Active</span>}
        </div>
      </th>
      {showOwner ? (
        <td class="cell-shrink" data-testid="client-owner">
          {client.ownerName}
          {isOwn ? <span class="muted"> (you)</span> : null}
        </td>
      ) : null}
      <td class="cell-wrap">
        <ul class="chips" aria-label={`Scopes of ${client.name}`}>
          {client.scopes.map((scope) => (
            <li key={scope} class={scope === 'admin' ? 'chip chip-small chip-warning mono' : 'chip chip-small mono'}>
              <ScopeText scope={scope} />
            </li>
          ))}
        </ul>
      </td>
      <td class="cell-shrink" data-testid="client-ips">
        {client.allowedIps.length ? (
          <ul class="cell-list mono small">
            {client.allowedIps.map((ip) => (
              <li key={ip}>{ip}</li>
            ))}
          </ul>
        ) : (
          <span class="muted">any address</span>
        )}
      </td>
      <td>{formatDuration(client.tokenTtl)}</td>
      <td class="cell-shrink" data-testid="client-last-used">
        {client.lastUsedAt ? (
          <>
            <TimeText iso={client.lastUsedAt} />
            {client.lastUsedIp ? <div class="muted mono small">{client.lastUsedIp}</div> : null}
          </>
        ) : (
          <span class="muted">never</span>
        )}
      </td>
      <td data-testid="client-active-tokens">{client.activeTokens}</td>
      {canEdit ? (
        <td>
          <div class="row-actions row-actions-compact">
            {button('regenerate', 'Regenerate secret', `Regenerate secret of ${client.name}`, 'client-regenerate')}
            {button('revoke-tokens', 'Revoke tokens', `Revoke tokens of ${client.name}`, 'client-revoke-tokens')}
            {button('toggle-disabled', toggleLabel, `${toggleLabel} ${client.name}`, 'client-toggle-disabled')}
            {button('delete', 'Delete', `Delete ${client.name}`, 'client-delete', true)}
          </div>
        </td>
      ) : null}
    </tr>
  );
}
