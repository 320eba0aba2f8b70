// The log files the panel watches (monitor.sources): one tailer each, polled together, positions kept in the data directory.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../shared/logger.ts';
import type { MonitorEvent } from './event.ts';
import type { LogFormat } from './parsers/index.ts';
import { createTailer, type Position, type Tailer, type TailerStats } from './tailer.ts';

export type LogSource = { path: string; format: LogFormat; year?: number | undefined };

export function createLogSources(opts: { sources: readonly LogSource[]; positionsFile: string; pollMs: number; feed: (ev: MonitorEvent) => void; logger: Logger }) {
  let positions: Record<string, Position> = {};
  try {
    positions = JSON.parse(readFileSync(opts.positionsFile, 'utf8')) as Record<string, Position>;
  } catch {
    positions = {};
  }
  let dirty = false;
  const tailers: Tailer[] = opts.sources.map((src) =>
    createTailer({
      file: src.path,
      format: src.format,
      ...(src.year !== undefined ? { year: src.year } : {}),
      position: positions[src.path] ?? null,
      onEvent: opts.feed,
      onPosition: (p) => {
        positions[src.path] = p;
        dirty = true;
      },
    }),
  );

  function save(): void {
    if (!dirty) return;
    dirty = false;
    // Written whole and renamed into place, so a crash never leaves half a file.
    const tmp = `${opts.positionsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(positions), { mode: 0o600 });
    renameSync(tmp, opts.positionsFile);
  }

  function pollAll(): void {
    for (const t of tailers) {
      try {
        t.poll();
      } catch (err) {
        opts.logger.warn({ err, file: t.stats.file }, 'reading a monitored log failed');
      }
    }
    try {
      save();
    } catch (err) {
      opts.logger.warn({ err }, 'saving monitored log positions failed');
    }
  }

  let timer: NodeJS.Timeout | null = null;
  return {
    start(): void {
      if (tailers.length === 0 || timer) return;
      pollAll();
      timer = setInterval(pollAll, opts.pollMs);
      timer.unref();
    },
    /** Reads whatever is new now (tests, and the last read before stopping). */
    pollNow: pollAll,
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
      pollAll();
      for (const t of tailers) t.close();
    },
    stats: (): TailerStats[] => tailers.map((t) => ({ ...t.stats })),
  };
}

export type LogSources = ReturnType<typeof createLogSources>;
