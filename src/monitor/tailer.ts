// Follows a log file as it grows: survives rotation (rename-and-create, copytruncate), resumes from its saved position after a restart.
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { MonitorEvent } from './event.ts';
import { MALFORMED, parserFor, type LogFormat } from './parsers/index.ts';

/** Where reading stopped in a file, by inode, so a restart neither re-reads nor skips lines. */
export type Position = { ino: number; offset: number };

export type TailerStats = { file: string; lines: number; events: number; malformed: number; rotations: number };

const READ = 256 * 1024;
/** A line longer than this is cut: a hostile writer cannot make the panel buffer without end. */
const MAX_LINE = 64 * 1024;

export function createTailer(opts: {
  file: string;
  format: LogFormat;
  year?: number;
  /** The saved position of this file, if any. Without one, reading starts at the end (history is not replayed). */
  position: Position | null;
  onEvent: (ev: MonitorEvent) => void;
  onPosition: (p: Position) => void;
}) {
  const parse = parserFor(opts.format, opts.year === undefined ? {} : { year: opts.year });
  const stats: TailerStats = { file: opts.file, lines: 0, events: 0, malformed: 0, rotations: 0 };
  let fd: number | null = null;
  let ino = -1;
  let offset = 0;
  let partial = '';
  const buf = Buffer.allocUnsafe(READ);

  const statOf = (): Stats | null => {
    try {
      return statSync(opts.file);
    } catch {
      return null;
    }
  };

  function open(st: Stats, from: number): void {
    try {
      fd = openSync(opts.file, 'r');
    } catch {
      fd = null;
      return;
    }
    ino = st.ino;
    offset = from;
    partial = '';
  }

  function line(text: string): void {
    stats.lines += 1;
    const ev = parse(text);
    if (ev === MALFORMED) stats.malformed += 1;
    else if (ev !== null) {
      stats.events += 1;
      // The line itself goes with the event, so a detection's evidence shows what the log said.
      ev.raw = text.length > 500 ? text.slice(0, 500) : text;
      opts.onEvent(ev);
    }
  }

  /** Reads what was appended since the last read, up to the end of the open file. */
  function drain(): boolean {
    if (fd === null) return false;
    let moved = false;
    for (;;) {
      const n = readSync(fd, buf, 0, READ, offset);
      if (n <= 0) break;
      moved = true;
      offset += n;
      const text = partial + buf.toString('utf8', 0, n);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end > start) line(text.slice(start, end));
        start = nl + 1;
      }
      partial = text.slice(start);
      if (partial.length > MAX_LINE) {
        line(partial.slice(0, MAX_LINE));
        partial = '';
      }
    }
    return moved;
  }

  function close(): void {
    if (fd !== null) closeSync(fd);
    fd = null;
  }

  return {
    stats,
    /** One look at the file: new lines are read, a rotation or truncation is followed. */
    poll(): void {
      const st = statOf();
      if (fd === null) {
        if (!st) return;
        const saved = opts.position;
        if (ino === -1 && saved) {
          // After a restart: the same file continues where it stopped; a file that was rotated meanwhile starts over.
          open(st, saved.ino === st.ino && saved.offset <= st.size ? saved.offset : 0);
        } else open(st, ino === -1 ? st.size : 0);
      }
      // Whatever the old file got before it was moved away is read first.
      let moved = drain();
      if (st && st.ino !== ino) {
        // Renamed away and a new file created in its place (logrotate's default).
        close();
        stats.rotations += 1;
        open(st, 0);
        moved = drain() || true;
      } else if (st && st.size < offset) {
        // Truncated in place (copytruncate): start again from the top.
        stats.rotations += 1;
        offset = 0;
        partial = '';
        moved = drain() || true;
      }
      if (moved && fd !== null) opts.onPosition({ ino, offset: offset - Buffer.byteLength(partial) });
    },
    close,
  };
}

export type Tailer = ReturnType<typeof createTailer>;
