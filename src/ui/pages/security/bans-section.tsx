// Bans section of the Security page: bans in force (or all), a form to ban an address by hand, and lifting a ban.
import { useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.ts';
import { BANS_LIMIT, liftBan, listBans } from '../../api/monitor.api.ts';
import type { Ban } from '../../api/types.ts';
import { CheckboxField } from '../../components/checkbox-field.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { formatDateTime } from '../../util/format.ts';
import { describeBanError } from './ban-error.ts';
import { BanForm } from './ban-form.tsx';
import { BansTable } from './bans-table.tsx';

const untilText = (ban: Ban) => (ban.expiresAt ? `until ${formatDateTime(ban.expiresAt)}` : 'until the ban is lifted');

export function BansSection({ canEdit }: { canEdit: boolean }) {
  const [activeOnly, setActiveOnly] = useState(true);
  const bans = useLoad(() => listBans(activeOnly), [activeOnly]);
  const [toLift, setToLift] = useState<Ban | null>(null);
  const { busyId, error, setError, notice, setNotice, run } = useRowActions();
  const items = bans.data ?? [];

  const clearMessages = () => {
    setError(null);
    setNotice(null);
  };

  const banned = (ban: Ban) => {
    bans.setData((prev) => [ban, ...(prev ?? []).filter((item) => item.id !== ban.id)]);
    setNotice(`${ban.ip} is banned ${untilText(ban)}.`);
  };

  const lift = (ban: Ban) =>
    run(String(ban.id), async () => {
      try {
        const lifted = await liftBan(ban.id);
        // The list shows what the filter asks for: a lifted ban leaves "in force", and stays in "all" as lifted.
        bans.setData((prev) =>
          activeOnly ? (prev ?? []).filter((item) => item.id !== ban.id) : (prev ?? []).map((item) => (item.id === ban.id ? lifted : item)),
        );
      } catch (err) {
        // Someone else lifted it meanwhile, or it is gone: show the list as it is now.
        if (err instanceof ApiError && (err.code === 'ban_not_active' || err.status === 404)) bans.reload();
        throw new Error(describeBanError(err));
      }
      return `The ban of ${ban.ip} was lifted; requests from it are accepted again.`;
    });

  const confirmLift = async () => {
    if (!toLift) return;
    await lift(toLift);
    setToLift(null);
  };

  return (
    <section aria-labelledby="bans-title">
      <div class="section-head">
        <h2 id="bans-title">Bans</h2>
        <button type="button" class="btn btn-small" onClick={bans.reload} disabled={bans.loading} data-testid="bans-refresh">
          Refresh
        </button>
      </div>
      <p class="muted">
        The panel refuses every request from a banned address until the ban ends. Addresses on the admin IP allowlist are never banned.
      </p>
      {canEdit ? (
        <BanForm onSubmit={clearMessages} onBanned={banned} />
      ) : (
        <p class="muted" data-testid="bans-read-only">
          You can see bans but not add or lift them; that needs the monitor.edit scope.
        </p>
      )}
      <Notice message={notice} />
      <ErrorMessage message={error ?? bans.error} />
      <div class="table-toolbar">
        <CheckboxField
          label="Only bans in force"
          description="Clear to also list lifted and expired bans."
          checked={activeOnly}
          onChecked={setActiveOnly}
          testId="bans-filter-active"
        />
      </div>
      {bans.loading ? (
        <Loading />
      ) : (
        <BansTable
          bans={items}
          canEdit={canEdit}
          busyId={busyId}
          emptyText={activeOnly ? 'No address is banned right now.' : 'No address has been banned yet.'}
          onLift={setToLift}
        />
      )}
      {items.length >= BANS_LIMIT ? (
        <p class="muted small" data-testid="bans-limited">
          Showing the newest {BANS_LIMIT} bans.
        </p>
      ) : null}
      <ConfirmDialog
        open={toLift !== null}
        title="Lift ban?"
        confirmLabel="Lift ban"
        busy={toLift !== null && busyId === String(toLift.id)}
        onCancel={() => setToLift(null)}
        onConfirm={confirmLift}
      >
        <p>
          Requests from <strong class="mono">{toLift?.ip}</strong> are accepted again at once. A rule may ban the address again if it
          keeps misbehaving.
        </p>
      </ConfirmDialog>
    </section>
  );
}
