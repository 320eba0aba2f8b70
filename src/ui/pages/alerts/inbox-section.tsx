// Inbox section of the Alerts page: counts, filters, a page of alerts kept up to date by the live stream, bulk actions.
import { useMemo, useState } from 'preact/hooks';
import { bulkAlerts } from '../../api/alerts.api.ts';
import type { AlertChange, AlertStatus, BulkAction } from '../../api/alerts.types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { useAlertStream } from '../../hooks/use-alert-stream.ts';
import { useRowActions } from '../../hooks/use-row-actions.ts';
import { useSession } from '../../session/session-context.ts';
import { AlertCountsBar } from './alert-counts.tsx';
import { defaultAlertFilters, DEFAULT_PAGE_SIZE, matchesFilters, newGoesOnTop, toAlertQuery, type AlertFilters, type Paging } from './alert-filters.ts';
import { AlertFiltersForm } from './alert-filters-form.tsx';
import { AlertsTable } from './alerts-table.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { LiveStatus } from './live-status.tsx';
import { Pager } from './pager.tsx';
import { useAlertList } from './use-alert-list.ts';

const firstPage = (limit: number): Paging => ({ offset: 0, limit });

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function InboxSection({ canManage }: { canManage: boolean }) {
  const { user } = useSession();
  const [filters, setFilters] = useState<AlertFilters>(defaultAlertFilters);
  const [paging, setPaging] = useState<Paging>(firstPage(DEFAULT_PAGE_SIZE));
  const query = useMemo(() => toAlertQuery(filters, paging, user?.id ?? null), [filters, paging, user?.id]);
  const list = useAlertList(query);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  /** New alerts that match the filters but belong elsewhere in this sort order or on another page. */
  const [unseen, setUnseen] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  /** Bumped when the filters change from outside the form (a status count), so the form shows them. */
  const [formKey, setFormKey] = useState(0);
  const { busyId, error, setError, notice, setNotice, run } = useRowActions();
  const items = list.data?.items ?? [];

  const markFresh = (ids: number[]) => {
    if (ids.length) setFresh((prev) => new Set([...prev, ...ids]));
  };

  const onChange = (change: AlertChange) => {
    const { alert } = change;
    list.refreshCounts();
    if (change.type === 'updated') {
      list.replace(alert);
      return;
    }
    setAnnouncement(`New ${alert.severity} alert: ${alert.title}`);
    if (!matchesFilters(alert, filters)) return;
    if (newGoesOnTop(filters, paging)) {
      list.addOnTop(alert);
      markFresh([alert.id]);
    } else {
      setUnseen((n) => n + 1);
    }
  };

  // Each (re)connection may follow changes the stream did not carry: read the page again, marking alerts new to it.
  const stream = useAlertStream({ onChange, onReady: () => void list.reload({ quiet: true }).then(markFresh) });

  const showFrom = (next: AlertFilters, nextPaging: Paging) => {
    setSelected(new Set());
    setFresh(new Set());
    setUnseen(0);
    setFilters(next);
    setPaging(nextPaging);
  };
  const apply = (next: AlertFilters) => showFrom(next, firstPage(paging.limit));
  const showStatus = (status: AlertStatus) => {
    apply({ ...filters, status: [status] });
    setFormKey((k) => k + 1);
  };

  const refresh = () => {
    setUnseen(0);
    setFresh(new Set());
    void list.reload();
  };

  const select = (id: number, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const selectAll = (on: boolean) => setSelected(on ? new Set(items.map((item) => item.id)) : new Set());

  const runBulk = async (action: BulkAction, note: string): Promise<boolean> => {
    const ids = [...selected];
    let done = false;
    await run('bulk', async () => {
      const result = await bulkAlerts(ids, action, note);
      done = true;
      setSelected(new Set());
      await list.reload({ quiet: true });
      const verb = action === 'acknowledge' ? 'acknowledged' : 'resolved';
      const missing = result.missing.length ? ` ${plural(result.missing.length, 'alert')} no longer existed.` : '';
      return `${plural(result.changed.length, 'alert')} ${verb}.${missing}`;
    });
    return done;
  };

  const filtered = JSON.stringify(filters) !== JSON.stringify(defaultAlertFilters);

  return (
    <section aria-labelledby="inbox-title">
      <div class="section-head">
        <h2 id="inbox-title">Inbox</h2>
        <div class="section-tools">
          <LiveStatus state={stream.state} onReconnect={stream.reconnect} />
          <button type="button" class="btn btn-small" onClick={refresh} disabled={list.loading} data-testid="alerts-refresh">
            Refresh
          </button>
        </div>
      </div>
      <p class="muted">
        Alerts from the security monitor, resource thresholds and the panel. Repeats of an alert that is not resolved add to its count. New
        alerts appear here as they are raised.
      </p>
      <p class="visually-hidden" aria-live="polite" data-testid="alerts-announcer">
        {announcement}
      </p>
      <AlertCountsBar counts={list.data?.counts ?? null} current={filters.status} onShow={showStatus} />
      <AlertFiltersForm key={formKey} initial={filters} onApply={apply} />
      {unseen > 0 ? (
        <div class="alert alert-info alert-with-action" data-testid="alerts-unseen">
          <p>{plural(unseen, 'new alert')} match these filters but belong on another page or further down in this order.</p>
          <button type="button" class="btn btn-small" onClick={refresh}>
            Show
          </button>
        </div>
      ) : null}
      {canManage && selected.size > 0 ? (
        <BulkBar count={selected.size} busy={busyId === 'bulk'} onRun={runBulk} onClear={() => setSelected(new Set())} />
      ) : null}
      {!canManage ? (
        <p class="muted small" data-testid="alerts-read-only">
          You can read alerts but not work on them; that needs the alerts.manage scope.
        </p>
      ) : null}
      <Notice message={notice} />
      <ErrorMessage message={error ?? list.error} />
      {list.loading ? (
        <Loading />
      ) : (
        <>
          <AlertsTable
            alerts={items}
            selectable={canManage}
            selected={selected}
            fresh={fresh}
            emptyText={filtered ? 'No alerts match these filters.' : 'No open or acknowledged alerts: all quiet.'}
            onSelect={(id, on) => {
              setError(null);
              setNotice(null);
              select(id, on);
            }}
            onSelectAll={selectAll}
          />
          <Pager paging={paging} total={list.data?.total ?? 0} shown={items.length} onPage={(next) => showFrom(filters, next)} />
        </>
      )}
    </section>
  );
}
