// A backup being made (or just made): its progress bar, and what it is doing, made or why it failed.
import type { BackupJob } from '../../api/backups.api.ts';
import { formatBytes } from '../resources/format.ts';

export function JobProgress({ job }: { job: BackupJob }) {
  const { doneBytes, totalBytes, phase } = job.progress;
  const pct = totalBytes > 0 ? Math.min(100, Math.round((doneBytes / totalBytes) * 100)) : 0;
  return (
    <div class="stack" data-testid="backup-job" data-state={job.state}>
      <progress max={100} value={job.state === 'done' ? 100 : pct} aria-label="Backup progress" data-testid="backup-progress" />
      <p class="muted small" data-testid="backup-job-text">
        {job.state === 'running'
          ? `${phase === 'preparing' ? 'Preparing (database snapshot)' : phase === 'finishing' ? 'Finishing' : 'Writing'}: ${formatBytes(doneBytes)} of ${formatBytes(totalBytes)} (${pct} %)`
          : job.state === 'done'
            ? `Done: ${job.file} (${formatBytes(job.bytes ?? 0)})`
            : `Failed: ${job.error}`}
      </p>
    </div>
  );
}
