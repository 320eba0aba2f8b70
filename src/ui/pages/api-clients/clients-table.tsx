// The table of API clients; an Owner column appears when the list holds other users' clients (seen by admins).
import type { ApiClient } from '../../api/types.ts';
import { ClientRow, type ClientAction } from './client-row.tsx';

type ClientsTableProps = {
  clients: ApiClient[];
  canEdit: boolean;
  currentUserId: string | null;
  busyId: string | null;
  emptyText: string;
  onAction: (action: ClientAction, client: ApiClient) => void;
};

export function ClientsTable({ clients, canEdit, currentUserId, busyId, emptyText, onAction }: ClientsTableProps) {
  const showOwner = clients.some((client) => client.ownerId !== currentUserId);
  const columns = 6 + (showOwner ? 1 : 0) + (canEdit ? 1 : 0);
  return (
    <div class="table-wrap">
      <table class="table" data-testid="clients-table">
        <caption class="visually-hidden">API clients</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            {showOwner ? <th scope="col">Owner</th> : null}
            <th scope="col">Scopes</th>
            <th scope="col" class="cell-shrink">
              Allowed IPs
            </th>
            <th scope="col" class="cell-shrink">
              Token lifetime
            </th>
            <th scope="col" class="cell-shrink">
              Last used
            </th>
            <th scope="col" class="cell-shrink">
              Active tokens
            </th>
            {canEdit ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {clients.length === 0 ? (
            <tr>
              <td colSpan={columns} class="empty" data-testid="clients-empty">
                {emptyText}
              </td>
            </tr>
          ) : (
            clients.map((client) => (
              <ClientRow
                key={client.id}
                client={client}
                canEdit={canEdit}
                showOwner={showOwner}
                isOwn={client.ownerId === currentUserId}
                busy={busyId === client.id}
                onAction={onAction}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
