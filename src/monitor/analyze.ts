// Offline replay of log files through the rules, as `aether analyze` does: streamed, so memory stays flat however long the log.
import { createReadStream } from 'node:fs';
import { createEngine, type Detection } from './engine/engine.ts';
import type { MonitorEvent } from './event.ts';
import { detectFormat, MALFORMED, parserFor, type LogFormat } from './parsers/index.ts';
import type { RuleSpec } from './rules/schema.ts';

export type AnalyzeSummary = {
  files: Array<{ file: string; format: LogFormat }>;
  linesRead: number;
  linesMatched: number;
  malformed: number;
  seconds: number;
  linesPerSecond: number;
  detections: number;
  perRule: Record<string, number>;
};

export type ExplainLine = { file: string; line: number; text: string; parser: LogFormat; event: MonitorEvent | null; malformed: boolean; rules: string[] };

const CHUNK = 1 << 18;

/**
 * Calls `onLine` for every line of a file, read in 256 KiB chunks. Each line is decoded on its own, so a string kept
 * from it (a key, an evidence event) holds that line alone, never the chunk it came in.
 */
async function eachLine(file: string, onLine: (line: string) => void): Promise<void> {
  let tail: Buffer | null = null;
  for await (const raw of createReadStream(file, { highWaterMark: CHUNK })) {
    const chunk: Buffer = tail ? Buffer.concat([tail, raw as Buffer]) : (raw as Buffer);
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl;
      if (end > start) onLine(chunk.toString('utf8', start, end));
      start = nl + 1;
    }
    tail = start < chunk.length ? chunk.subarray(start) : null;
  }
  if (tail && tail.length > 0) onLine(tail.toString('utf8').replace(/\r$/, ''));
}

async function firstLines(file: string, n: number): Promise<string[]> {
  const lines: string[] = [];
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: 64 * 1024 });
  let text = '';
  for await (const chunk of stream) text += chunk as string;
  for (const l of text.split('\n')) if (lines.length < n && l.trim() !== '') lines.push(l);
  return lines;
}

export async function analyzeFiles(
  files: string[],
  opts: { rules: readonly RuleSpec[]; format: LogFormat | 'auto'; year?: number; onDetection: (d: Detection) => void; onExplain?: (x: ExplainLine) => void },
): Promise<AnalyzeSummary> {
  const perRule: Record<string, number> = {};
  let detections = 0;
  const engine = createEngine(opts.rules, (d) => {
    detections += 1;
    perRule[d.rule] = (perRule[d.rule] ?? 0) + 1;
    opts.onDetection(d);
  });
  for (const r of opts.rules) if (r.enabled) perRule[r.id] ??= 0;
  const summary: AnalyzeSummary = { files: [], linesRead: 0, linesMatched: 0, malformed: 0, seconds: 0, linesPerSecond: 0, detections: 0, perRule };
  const started = performance.now();
  for (const file of files) {
    const format = opts.format === 'auto' ? detectFormat(await firstLines(file, 50)) : opts.format;
    summary.files.push({ file, format });
    const parse = parserFor(format, opts.year === undefined ? {} : { year: opts.year });
    let n = 0;
    const explain = opts.onExplain;
    await eachLine(file, (line) => {
      n += 1;
      summary.linesRead += 1;
      const ev = parse(line);
      if (ev === MALFORMED) {
        summary.malformed += 1;
        explain?.({ file, line: n, text: line, parser: format, event: null, malformed: true, rules: [] });
        return;
      }
      if (ev === null) {
        explain?.({ file, line: n, text: line, parser: format, event: null, malformed: false, rules: [] });
        return;
      }
      summary.linesMatched += 1;
      if (explain) {
        const rules: string[] = [];
        engine.feed(ev, rules);
        explain({ file, line: n, text: line, parser: format, event: ev, malformed: false, rules });
      } else engine.feed(ev);
    });
  }
  summary.seconds = (performance.now() - started) / 1000;
  summary.linesPerSecond = Math.round(summary.linesRead / Math.max(summary.seconds, 1e-9));
  summary.detections = detections;
  return summary;
}
