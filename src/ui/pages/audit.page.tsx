// Audit log page: filterable table of security events with cursor-based "Load more". ?type= and ?actor= in the address
// set the first filter (links from the incident review).
import { useMemo, useState } from 'preact/hooks';
import { listAudit } from '../api/audit.api.ts';
import type { AuditFilters } from '../api/types.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { Loading } from '../components/loading.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { usePagedList } from '../hooks/use-paged-list.ts';
import { useLocation } from '../router/history.ts';
import { localInputToIso } from '../util/format.ts';
import { AuditFiltersForm, emptyAuditFilters } from './audit/audit-filters.tsx';
import { AuditRow } from './audit/audit-row.tsx';

export function AuditPage() {
  const { query } = useLocation();
  const [initial] = useState<AuditFilters>(() => ({ ...emptyAuditFilters, type: query.get('type') ?? '', actor: query.get('actor') ?? '' }));
  const [filters, setFilters] = useState<AuditFilters>(initial);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const key = useMemo(() => JSON.stringify(filters), [filters]);
  const events = usePagedList((cursor) => listAudit(filters, cursor), [key]);

  const apply = (draft: AuditFilters) => {
    setExpanded(new Set());
    setFilters({ ...draft, from: localInputToIso(draft.from), to: localInputToIso(draft.to) });
  };

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section>
      <PageHeader
        title="Audit log"
        description="Every security decision the panel makes, newest first. Times are shown in your local time zone."
        actions={
          <button type="button" class="btn" onClick={events.reload} disabled={events.loading} data-testid="audit-refresh">
            Refresh
          </button>
        }
      />
      <AuditFiltersForm onApply={apply} initial={initial} />
      <ErrorMessage message={events.error} />
      {events.loading ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="audit-table">
            <caption class="visually-hidden">Audit events</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">Actor</th>
                <th scope="col">IP</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {events.items.length === 0 ? (
                <tr>
                  <td colSpan={6} class="empty">
                    No events match these filters.
                  </td>
                </tr>
              ) : (
                events.items.map((event) => (
                  <AuditRow key={event.id} event={event} expanded={expanded.has(event.id)} onToggle={() => toggle(event.id)} />
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore hasMore={events.nextCursor !== null} loading={events.loadingMore} onLoadMore={events.loadMore} testId="audit-load-more" />
    </section>
  );
}
