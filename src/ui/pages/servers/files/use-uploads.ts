// The upload queue of the file manager: files picked or dropped are sent one after another, each with its progress;
// one that already exists waits for the user to replace or skip it, and any can be cancelled. Leaving the page
// cancels what is still running (the panel keeps nothing of a half-sent file).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../../../api/api-error.ts';
import { uploadFile } from '../../../api/files.api.ts';
import { joinPath } from './file-paths.ts';

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed' | 'conflict' | 'cancelled';

export type Upload = {
  id: number;
  name: string;
  /** Where it goes, from the server's root. */
  path: string;
  size: number;
  sent: number;
  state: UploadState;
  error: string | null;
};

type Job = Upload & { file: Blob; overwrite: boolean; abort: AbortController | null };

const FINISHED: ReadonlySet<UploadState> = new Set(['done', 'failed', 'cancelled']);

export function useUploads(serverId: string, onUploaded: () => void) {
  const jobs = useRef<Job[]>([]);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const nextId = useRef(1);
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;

  const publish = () => setUploads(jobs.current.map(({ file: _f, overwrite: _o, abort: _a, ...u }) => ({ ...u })));
  const update = (id: number, change: Partial<Job>) => {
    jobs.current = jobs.current.map((j) => (j.id === id ? { ...j, ...change } : j));
    publish();
  };

  const pump = useCallback(() => {
    if (jobs.current.some((j) => j.state === 'uploading')) return;
    const job = jobs.current.find((j) => j.state === 'queued');
    if (!job) return;
    const abort = new AbortController();
    update(job.id, { state: 'uploading', sent: 0, error: null, abort });
    uploadFile(serverId, job.path, job.file, { overwrite: job.overwrite, signal: abort.signal, onProgress: (sent) => update(job.id, { sent }) })
      .then(
        () => {
          update(job.id, { state: 'done', sent: job.size, abort: null });
          uploaded.current();
        },
        (err: unknown) => {
          if (err instanceof ApiError && err.code === 'already_exists') update(job.id, { state: 'conflict', error: 'A file with this name is already there.', abort: null });
          else if (err instanceof ApiError && err.code === 'aborted') update(job.id, { state: 'cancelled', error: null, abort: null });
          else update(job.id, { state: 'failed', error: describeError(err), abort: null });
        },
      )
      .finally(pump);
  }, [serverId]);

  /** Queues files to go into a directory (never replacing a file without asking). */
  const add = useCallback(
    (files: readonly File[], dir: string) => {
      for (const file of files) {
        jobs.current.push({ id: nextId.current++, name: file.name, path: joinPath(dir, file.name), size: file.size, sent: 0, state: 'queued', error: null, file, overwrite: false, abort: null });
      }
      publish();
      pump();
    },
    [pump],
  );

  const cancel = (id: number) => {
    const job = jobs.current.find((j) => j.id === id);
    if (!job) return;
    if (job.abort) job.abort.abort();
    else if (job.state === 'queued' || job.state === 'conflict') update(id, { state: 'cancelled', error: null });
  };
  const replace = (id: number) => {
    update(id, { state: 'queued', overwrite: true, error: null });
    pump();
  };
  const retry = (id: number) => {
    update(id, { state: 'queued', error: null });
    pump();
  };
  const clearFinished = () => {
    jobs.current = jobs.current.filter((j) => !FINISHED.has(j.state));
    publish();
  };

  const active = uploads.some((u) => u.state === 'uploading' || u.state === 'queued');
  // A tab closed mid-upload loses the file: the browser asks first.
  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
  useEffect(
    () => () => {
      for (const job of jobs.current) job.abort?.abort();
    },
    [],
  );

  return { uploads, active, add, cancel, replace, retry, clearFinished };
}
