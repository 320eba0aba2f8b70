// The table of bans, newest first.
import type { Ban } from '../../api/types.ts';
import { BanRow } from './ban-row.tsx';

type BansTableProps = {
  bans: Ban[];
  canEdit: boolean;
  busyId: string | null;
  emptyText: string;
  onLift: (ban: Ban) => void;
};

export function BansTable({ bans, canEdit, busyId, emptyText, onLift }: BansTableProps) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="bans-table">
        <caption class="visually-hidden">Bans</caption>
        <thead>
          <tr>
            <th scope="col">IP</th>
            <th scope="col">Reason and origin</th>
            <th scope="col">Since and until</th>
            <th scope="col" class="cell-shrink">
              Refused requests
            </th>
            <th scope="col">Status</th>
            {canEdit ? (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {bans.length === 0 ? (
            <tr>
              <td colSpan={canEdit ? 8 : 7} class="empty" data-testid="bans-empty">
                {emptyText}
              </td>
            </tr>
          ) : (
            bans.map((ban) => (
              <BanRow key={ban.id} ban={ban} canEdit={canEdit} busy={busyId === String(ban.id)} onLift={onLift} />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
