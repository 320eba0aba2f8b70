// A <time> element showing a formatted timestamp with the exact ISO value as tooltip.
import { formatDateTime } from '../util/format.ts';

export function TimeText({ iso, withSeconds = false }: { iso: string | null | undefined; withSeconds?: boolean }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatDateTime(iso, withSeconds)}
    </time>
  );
}
