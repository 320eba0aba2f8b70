// The console's output: the scrollback as lines of coloured text (built as spans, never as markup from the server),
// following new output unless the user has scrolled up to read, with a way back to the latest.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { memo } from 'preact/compat';
import type { AnsiSegment } from './ansi.ts';
import type { ConsoleBuffer, ConsoleLine } from './console-buffer.ts';

/** How close to the bottom (in pixels) still counts as following the output. */
const AT_END_PX = 8;

const classOf = (s: AnsiSegment) => [s.fg === null ? '' : `ansi-fg-${s.fg}`, s.bold ? 'ansi-bold' : ''].filter(Boolean).join(' ');

// SECURITY: output is whatever the server's program prints: it only ever becomes text nodes and spans with our own
// classes, never markup (no innerHTML), so it cannot inject elements, links or scripts into the panel.
const LineView = memo(function LineView({ line }: { line: ConsoleLine }) {
  return (
    <div class="console-line" data-testid="console-line">
      {line.segments.map((s, i) =>
        s.fg === null && !s.bold ? (
          s.text
        ) : (
          <span key={i} class={classOf(s)}>
            {s.text}
          </span>
        ),
      )}
    </div>
  );
});

export function ConsoleOutput({ buffer, label }: { buffer: ConsoleBuffer; label: string }) {
  const [lines, setLines] = useState(buffer.lines);
  const [behind, setBehind] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  /** Following the output: true until the user scrolls away from the bottom. */
  const follow = useRef(true);

  useEffect(() => {
    setLines(buffer.lines());
    return buffer.subscribe(() => setLines(buffer.lines()));
  }, [buffer]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (follow.current) el.scrollTop = el.scrollHeight;
    else setBehind(true);
  }, [lines]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    follow.current = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_PX;
    if (follow.current) setBehind(false);
  };

  const jump = () => {
    const el = box.current;
    if (!el) return;
    follow.current = true;
    el.scrollTop = el.scrollHeight;
    setBehind(false);
    el.focus();
  };

  return (
    <div class="console-frame">
      <div ref={box} class="console-output" role="log" aria-label={label} tabIndex={0} onScroll={onScroll} data-testid="console-output">
        {lines.length === 0 ? <p class="console-empty">No output yet.</p> : lines.map((line) => <LineView key={line.id} line={line} />)}
      </div>
      {behind ? (
        <button type="button" class="btn btn-small console-jump" onClick={jump} data-testid="console-jump">
          Jump to the latest output
        </button>
      ) : null}
    </div>
  );
}
