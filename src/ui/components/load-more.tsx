// "Load more" button for cursor-paginated lists; hidden when there is nothing more.

type LoadMoreProps = {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  testId?: string;
};

export function LoadMore({ hasMore, loading, onLoadMore, testId = 'load-more' }: LoadMoreProps) {
  if (!hasMore) return null;
  return (
    <div class="load-more">
      <button type="button" class="btn" onClick={onLoadMore} disabled={loading} data-testid={testId}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
