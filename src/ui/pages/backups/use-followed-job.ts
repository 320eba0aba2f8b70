// Follows a backup being made (started here, or found running when the page loaded) every second until it ends.
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../../api/api-error.ts';
import type { BackupJob } from '../../api/backups.api.ts';

const POLL_MS = 1000;

export function useFollowedJob(listed: BackupJob | null, poll: (id: string) => Promise<BackupJob>, onEnd: () => void) {
  const [job, setJob] = useState<BackupJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = job?.state === 'running' ? job : listed;
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => {
      poll(running.id).then(
        (next) => {
          setJob(next);
          if (next.state !== 'running') onEnd();
        },
        (err: unknown) => setError(describeError(err)),
      );
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running?.id]);
  /** The job to show: the one running, else the last one followed. */
  return { shown: running ?? job, running, setJob, error, setError };
}
