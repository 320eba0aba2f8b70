// Detections section of the Security page: filters by rule and address, expandable rows and "Load more".
import { useMemo, useState } from 'preact/hooks';
import { listDetections, listRules } from '../../api/monitor.api.ts';
import type { DetectionFilters } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { LoadMore } from '../../components/load-more.tsx';
import { Loading } from '../../components/loading.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { usePagedList } from '../../hooks/use-paged-list.ts';
import { DetectionFiltersForm, emptyDetectionFilters } from './detection-filters.tsx';
import { DetectionsTable } from './detections-table.tsx';

export function DetectionsSection() {
  const [filters, setFilters] = useState<DetectionFilters>(emptyDetectionFilters);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const key = useMemo(() => JSON.stringify(filters), [filters]);
  const detections = usePagedList((cursor) => listDetections(filters, cursor), [key]);
  const rules = useLoad(listRules);
  const filtered = filters.rule !== '' || filters.ip !== '';

  const apply = (next: DetectionFilters) => {
    setExpanded(new Set());
    setFilters(next);
  };

  const toggle = (id: number) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section aria-labelledby="detections-title">
      <div class="section-head">
        <h2 id="detections-title">Detections</h2>
        <button type="button" class="btn btn-small" onClick={detections.reload} disabled={detections.loading} data-testid="detections-refresh">
          Refresh
        </button>
      </div>
      <p class="muted">Each time a rule fired, newest first. Open a row to see the events that made it fire.</p>
      <ErrorMessage message={rules.error} />
      <DetectionFiltersForm ruleIds={(rules.data ?? []).map((rule) => rule.id)} onApply={apply} />
      <ErrorMessage message={detections.error} />
      {detections.loading ? (
        <Loading />
      ) : (
        <DetectionsTable
          detections={detections.items}
          expanded={expanded}
          onToggle={toggle}
          emptyText={filtered ? 'No detections match these filters.' : 'No detections yet: no rule has fired.'}
        />
      )}
      <LoadMore
        hasMore={detections.nextCursor !== null}
        loading={detections.loadingMore}
        onLoadMore={detections.loadMore}
        testId="detections-load-more"
      />
    </section>
  );
}
