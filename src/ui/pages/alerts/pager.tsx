// Offset paging of the inbox: where the page is in the total, previous and next, and the page size.
import { SelectField } from '../../components/select-field.tsx';
import { PAGE_SIZES, type Paging } from './alert-filters.ts';

type PagerProps = {
  paging: Paging;
  total: number;
  shown: number;
  onPage: (paging: Paging) => void;
};

export function Pager({ paging, total, shown, onPage }: PagerProps) {
  const { offset, limit } = paging;
  const first = shown === 0 ? 0 : offset + 1;
  const last = offset + shown;
  return (
    <nav class="pager" aria-label="Pages of alerts">
      <p class="muted" data-testid="alerts-range">
        {total === 0 ? 'No alerts' : `${first}–${last} of ${total}`}
      </p>
      <div class="form-actions">
        <button
          type="button"
          class="btn btn-small"
          onClick={() => onPage({ limit, offset: Math.max(0, offset - limit) })}
          disabled={offset === 0}
          data-testid="alerts-prev"
        >
          Previous
        </button>
        <button
          type="button"
          class="btn btn-small"
          onClick={() => onPage({ limit, offset: offset + limit })}
          disabled={last >= total}
          data-testid="alerts-next"
        >
          Next
        </button>
      </div>
      <SelectField
        label="Per page"
        value={String(limit)}
        onValue={(value) => onPage({ offset: 0, limit: Number(value) })}
        options={PAGE_SIZES.map((size) => ({ value: String(size), label: String(size) }))}
        testId="alerts-page-size"
      />
    </nav>
  );
}
