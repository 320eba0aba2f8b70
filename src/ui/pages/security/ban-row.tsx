// One ban as a table row: who or what made it, how long it lasts, requests it refused, and Lift while it is in force.
import type { Ban } from '../../api/types.ts';
import { TimeText } from '../../components/time-text.tsx';

type BanRowProps = {
  ban: Ban;
  canEdit: boolean;
  busy: boolean;
  onLift: (ban: Ban) => void;
};

function Origin({ ban }: { ban: Ban }) {
  if (ban.source === 'manual') return <>manual by {ban.createdBy ?? 'unknown'}</>;
  return <span class="mono">{ban.rule ?? 'rule'}</span>;
}

function Status({ ban }: { ban: Ban }) {
  if (ban.active) return <span class="badge badge-danger">In force</span>;
  if (!ban.liftedAt) return <span class="badge badge-neutral">Expired</span>;
  return (
    <>
      <span class="badge badge-neutral">Lifted</span>
      <div class="muted small">
        <TimeText iso={ban.liftedAt} />
        {ban.liftedBy ? ` by ${ban.liftedBy}` : null}
      </div>
    </>
  );
}

export function BanRow({ ban, canEdit, busy, onLift }: BanRowProps) {
  return (
    <tr data-testid={`ban-row-${ban.ip}`}>
      <th scope="row" class="mono">
        {ban.ip}
      </th>
      <td class="cell-wrap">
        {ban.reason}
        <div class="muted small" data-testid="ban-origin">
          <Origin ban={ban} />
        </div>
      </td>
      <td>
        <TimeText iso={ban.createdAt} />
        <div class="muted small" data-testid="ban-until">
          {ban.expiresAt ? (
            <>
              until <TimeText iso={ban.expiresAt} />
            </>
          ) : (
            'until lifted'
          )}
        </div>
      </td>
      <td data-testid="ban-hits">
        {ban.hits}
        {ban.lastHitAt ? (
          <div class="muted small">
            last <TimeText iso={ban.lastHitAt} />
          </div>
        ) : null}
      </td>
      <td data-testid="ban-status">
        <Status ban={ban} />
      </td>
      {canEdit ? (
        <td>
          {ban.active ? (
            <button
              type="button"
              class="btn btn-small"
              onClick={() => onLift(ban)}
              disabled={busy}
              data-testid="ban-lift"
              aria-label={`Lift the ban of ${ban.ip}`}
            >
              Lift
            </button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
