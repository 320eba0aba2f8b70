// One time-series chart drawn with uPlot, in a figure with a caption, an accessible name and a text summary of its lines.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../../api/resources.api.ts';

export type ChartLine = { label: string; values: Series; color: string; dashed?: boolean };

type TimeChartProps = {
  title: string;
  /** What the chart covers, e.g. "last 24 hours, every 10 seconds": part of its accessible name. */
  context: string;
  testId: string;
  /** Milliseconds since the epoch. */
  ts: number[];
  lines: ChartLine[];
  format: (value: number) => string;
  /** Percentages: the y axis runs from 0 to 100. */
  percent?: boolean;
  /** Otherwise the y axis reaches at least this far (a limit), further when the values do. */
  yMax?: number;
  /** A live chart: the x axis always shows this many seconds up to the newest point. */
  spanSeconds?: number;
  /** A history chart: the x axis shows the range asked for (ms since the epoch), however few points it has. */
  range?: { from: number; to: number };
  /** One sentence per line, read instead of the drawing by screen readers and shown under it. */
  summary: string[];
};

const HEIGHT = 220;

/** The theme's colours, read from the CSS custom properties (a canvas cannot use var()). */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * The x range of a live chart: the span up to its newest point (now when it has none). Not uPlot's max: with one point
 * uPlot widens a time scale by years.
 */
function liveRange(u: uPlot, spanSeconds: number): uPlot.Range.MinMax {
  const xs = u.data[0];
  const newest = xs.length ? (xs[xs.length - 1] as number) : Date.now() / 1000;
  return [newest - spanSeconds, newest];
}

/** The y axis labels; a label equal to the one below it is left out (bytes rounded on an axis of 0 to 1 B). */
function axisLabels(splits: number[], format: (value: number) => string): string[] {
  let previous = '';
  return splits.map((v) => {
    const text = format(v);
    if (text === previous) return '';
    previous = text;
    return text;
  });
}

/** The colour scheme in force, so a chart drawn for one theme is drawn again when the other one applies. */
function useColorScheme(): 'light' | 'dark' {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const onChange = () => setDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return dark ? 'dark' : 'light';
}

export function TimeChart({ title, context, testId, ts, lines, format, percent = false, yMax = 0, spanSeconds, range, summary }: TimeChartProps) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [ts.map((t) => t / 1000), ...lines.map((l) => l.values)];
  const shape = lines.map((l) => `${l.label}|${l.color}|${l.dashed ? 1 : 0}`).join(',');
  const scheme = useColorScheme();
  // Read by the x scale when the data changes: a polled history moves its range without the chart being rebuilt.
  const xRange = useRef(range);
  xRange.current = range;
  const fixed = range !== undefined;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = themeColor('--muted', '#5a6477');
    const grid = themeColor('--border', '#d6dce6');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const chart = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: HEIGHT,
        series: [
          {},
          ...lines.map((l) => ({
            label: l.label,
            stroke: l.color,
            width: 1.5,
            ...(l.dashed ? { dash: [4, 4] } : {}),
            value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : format(v)),
          })),
        ],
        axes: [axis, { ...axis, size: 80, values: (_u: uPlot, splits: number[]) => axisLabels(splits, format) }],
        scales: {
          x: spanSeconds
            ? { time: true, range: (u: uPlot) => liveRange(u, spanSeconds) }
            : fixed
              ? { time: true, range: (): uPlot.Range.MinMax => [xRange.current!.from / 1000, xRange.current!.to / 1000] }
              : { time: true },
          y: percent ? { range: [0, 100] } : { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(yMax, max > 0 ? max * 1.1 : 1)] },
        },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Rebuilt when the lines change (a disk mounted) or the theme does; new values only update the data below.
  }, [shape, percent, yMax, spanSeconds, fixed, scheme]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure class="chart-figure card" aria-labelledby={`${id}-title`} data-testid={testId}>
      <figcaption id={`${id}-title`} class="chart-title">
        {title}
      </figcaption>
      <div ref={box} class="chart-canvas" role="img" aria-label={`${title}, ${context}. ${summary.join(' ')}`} />
      <ul class="chart-summary small muted" data-testid={`${testId}-summary`}>
        {summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </figure>
  );
}
