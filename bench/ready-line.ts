// How a benchmark server child tells the parent it is ready: one JSON line on file descriptor 3, apart from its stdout logging.
import { writeSync } from 'node:fs';

export const READY_FD = 3;

export function reportReady(info: unknown): void {
  writeSync(READY_FD, `${JSON.stringify(info)}\n`);
}
