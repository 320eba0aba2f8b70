// The console's scrollback: output split into lines (a line may arrive in pieces), each read for its colours once it is
// complete, at most a fixed number kept; components subscribe and redraw at most once per frame.
import { parseAnsi, PLAIN, type AnsiSegment, type AnsiStyle } from './ansi.ts';

/** Lines kept; older ones are dropped. */
export const SCROLLBACK_LINES = 2000;
/** A line that grows past this without a line break is ended here (a program printing a progress bar). */
const MAX_OPEN = 8192;

export type ConsoleLine = { readonly id: number; readonly segments: readonly AnsiSegment[] };

export type ConsoleBuffer = {
  /** Replaces everything with these lines (the history sent when the console connects). */
  reset: (lines: readonly string[]) => void;
  /** Adds output as it arrives; it may hold several lines, or end in the middle of one. */
  append: (data: string) => void;
  /** The lines now, oldest first (the last may still be growing). */
  lines: () => readonly ConsoleLine[];
  /** Called after changes (once per animation frame at most); returns the unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
};

export function createConsoleBuffer(max = SCROLLBACK_LINES): ConsoleBuffer {
  let complete: ConsoleLine[] = [];
  /** The line still being written: its raw text, read again as pieces arrive (an escape may be split between them). */
  let open = '';
  /** The style in force where the open line starts. */
  let style: AnsiStyle = PLAIN;
  let nextId = 1;
  let snapshot: readonly ConsoleLine[] | null = null;
  const listeners = new Set<() => void>();
  let frame: number | null = null;

  const changed = () => {
    snapshot = null;
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      for (const listener of listeners) listener();
    });
  };

  const add = (data: string) => {
    const pieces = data.replace(/\r\n/g, '\n').split('\n');
    for (let i = 0; i < pieces.length - 1; i += 1) {
      const { segments, end } = parseAnsi(open + pieces[i]!, style);
      complete.push({ id: nextId, segments });
      nextId += 1;
      style = end;
      open = '';
    }
    open += pieces[pieces.length - 1]!;
    if (open.length > MAX_OPEN) add('\n');
    if (complete.length > max) complete = complete.slice(complete.length - max);
  };

  return {
    reset(lines) {
      complete = [];
      open = '';
      style = PLAIN;
      if (lines.length) add(`${lines.join('\n')}\n`);
      changed();
    },
    append(data) {
      if (!data) return;
      add(data);
      changed();
    },
    lines() {
      if (!snapshot) {
        const tail = open ? [{ id: nextId, segments: parseAnsi(open, style).segments }] : [];
        snapshot = complete.length + tail.length > max ? [...complete.slice(1), ...tail] : [...complete, ...tail];
      }
      return snapshot;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && frame !== null) {
          cancelAnimationFrame(frame);
          frame = null;
        }
      };
    },
  };
}
