// Log output batched per event-loop turn: the lines of one turn reach each destination in a single write.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const WAIT_ON_FULL_MS = 5;
const MAX_WAIT_ON_FULL_MS = 2_000;

type Target = { fd: number; own: boolean; dead: boolean; failing: boolean };

const open = new Set<LogOutput>();
// Whatever is still queued when the process exits (process.exit, a fatal error) is written before it goes.
process.on('exit', () => {
  for (const out of open) out.flush();
});

/**
 * A pino destination for several file descriptors at once. A request's log line is queued, and all lines queued in
 * one turn of the event loop go out together with one write per destination after the turn, so a busy panel pays
 * for one system call per turn instead of two per request. Writes are synchronous, as process.stdout's are for files
 * and pipes, so nothing is lost between turns and the order of lines is kept.
 */
export class LogOutput {
  readonly #targets: Target[] = [];
  #queue: string[] = [];
  #scheduled = false;

  /** Appends to the file at path (created with mode, its directory too), and/or writes to already open descriptors. */
  constructor(opts: { files?: Array<{ path: string; mode: number }>; fds?: number[] }) {
    for (const fd of opts.fds ?? []) this.#targets.push({ fd, own: false, dead: false, failing: false });
    for (const file of opts.files ?? []) {
      mkdirSync(dirname(file.path), { recursive: true, mode: 0o750 });
      this.#targets.push({ fd: openSync(file.path, 'a', file.mode), own: true, dead: false, failing: false });
    }
    open.add(this);
  }

  write(line: string): void {
    this.#queue.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flushQueued);
  }

  readonly #flushQueued = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /** Writes out everything queued, now; pino's logger.flush(cb) passes a callback, called once the data is out. */
  flush(done?: (err?: Error) => void): void {
    if (this.#queue.length > 0) {
      const data = Buffer.from(this.#queue.length === 1 ? (this.#queue[0] as string) : this.#queue.join(''));
      this.#queue = [];
      for (const target of this.#targets) if (!target.dead) writeAll(target, data);
    }
    done?.();
  }

  close(): void {
    this.flush();
    open.delete(this);
    for (const target of this.#targets) if (target.own) closeSync(target.fd);
    this.#targets.length = 0;
  }
}

function writeAll(target: Target, data: Buffer): void {
  let offset = 0;
  let waited = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(target.fd, data, offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A non-blocking pipe whose reader is slow: wait a little for room, but never hold the process for long.
      if (code === 'EAGAIN' && waited < MAX_WAIT_ON_FULL_MS) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAIT_ON_FULL_MS);
        waited += WAIT_ON_FULL_MS;
        continue;
      }
      // The reader is gone for good (EPIPE): stop writing there. Anything else (a full disk): drop this batch only.
      if (code === 'EPIPE' || code === 'EBADF') target.dead = true;
      if (!target.failing) process.emitWarning(`log lines to descriptor ${target.fd} lost: ${code ?? String(err)}`);
      target.failing = true;
      return;
    }
  }
  target.failing = false;
}
