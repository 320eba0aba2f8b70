// The uploads under way and done: a progress bar per file, with Cancel, Replace (when the name is taken) and Retry.
import { formatBytes } from '../../resources/format.ts';
import type { Upload } from './use-uploads.ts';

const stateText: Record<Upload['state'], string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  done: 'Uploaded',
  failed: 'Failed',
  conflict: 'Already exists',
  cancelled: 'Cancelled',
};

type UploadListProps = {
  uploads: Upload[];
  onCancel: (id: number) => void;
  onReplace: (id: number) => void;
  onRetry: (id: number) => void;
  onClear: () => void;
};

export function UploadList({ uploads, onCancel, onReplace, onRetry, onClear }: UploadListProps) {
  if (uploads.length === 0) return null;
  const done = uploads.filter((u) => u.state === 'done').length;
  const total = uploads.reduce((n, u) => n + u.size, 0);
  const sent = uploads.reduce((n, u) => n + (u.state === 'done' ? u.size : u.sent), 0);
  return (
    <section class="card upload-list" aria-labelledby="uploads-title" data-testid="uploads">
      <div class="section-head">
        <h3 id="uploads-title">
          Uploads <span class="muted small" data-testid="uploads-summary">{done} of {uploads.length} uploaded · {formatBytes(sent)} of {formatBytes(total)}</span>
        </h3>
        <button type="button" class="btn btn-small" onClick={onClear} disabled={!uploads.some((u) => u.state === 'done' || u.state === 'failed' || u.state === 'cancelled')}>
          Clear finished
        </button>
      </div>
      <ul class="upload-items">
        {uploads.map((u) => {
          const pct = u.size === 0 ? (u.state === 'done' ? 100 : 0) : Math.min(100, Math.round(((u.state === 'done' ? u.size : u.sent) / u.size) * 100));
          return (
            <li key={u.id} class={`upload-item upload-${u.state}`} data-testid="upload-item" data-state={u.state}>
              <div class="upload-line">
                <span class="upload-name mono" title={u.path}>
                  {u.name}
                </span>
                <span class="muted small" data-testid="upload-state">
                  {stateText[u.state]}
                  {u.state === 'uploading' || u.state === 'done' ? ` · ${pct} %` : ''} · {formatBytes(u.size)}
                </span>
                <span class="row-actions">
                  {u.state === 'conflict' ? (
                    <button type="button" class="btn btn-small" onClick={() => onReplace(u.id)} data-testid="upload-replace">
                      Replace
                    </button>
                  ) : null}
                  {u.state === 'failed' ? (
                    <button type="button" class="btn btn-small" onClick={() => onRetry(u.id)} data-testid="upload-retry">
                      Retry
                    </button>
                  ) : null}
                  {u.state === 'queued' || u.state === 'uploading' || u.state === 'conflict' ? (
                    <button type="button" class="btn btn-small btn-ghost" onClick={() => onCancel(u.id)} data-testid="upload-cancel">
                      {u.state === 'conflict' ? 'Skip' : 'Cancel'}
                    </button>
                  ) : null}
                </span>
              </div>
              <progress max={100} value={pct} aria-label={`Upload of ${u.name}`} data-testid="upload-progress" />
              {u.error ? (
                <p class="field-error small" role="alert">
                  {u.error}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
