// Reads the colours out of console output: SGR foreground colours (30–37, 90–97), bold, and reset become styled
// segments; every other escape sequence and control character is dropped. The result is text, never markup.

/** Foreground colour 0–7 (normal) or 8–15 (bright); null is the console's own colour. */
export type AnsiStyle = { readonly fg: number | null; readonly bold: boolean };

export type AnsiSegment = { text: string; fg: number | null; bold: boolean };

export const PLAIN: AnsiStyle = { fg: null, bold: false };

const ESC = '\u001b';
const CSI_8BIT = '\u009b';

/** The style after one SGR sequence's parameters ("1;31", "0", ""). */
function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  let { fg, bold } = style;
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i += 1) {
    const code = codes[i]!;
    if (code === 0) {
      fg = null;
      bold = false;
    } else if (code === 1) bold = true;
    else if (code === 22) bold = false;
    else if (code >= 30 && code <= 37) fg = code - 30;
    else if (code >= 90 && code <= 97) fg = code - 90 + 8;
    else if (code === 39) fg = null;
    else if (code === 38 || code === 48 || code === 58) {
      // 256-colour and true-colour forms are not shown: their arguments are skipped, not read as codes.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    }
  }
  return fg === style.fg && bold === style.bold ? style : { fg, bold };
}

const isControl = (c: number) => (c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f);

/**
 * Splits one line of output into styled segments, starting in `start`; also returns the style in force at its end (it
 * carries over to the next line, as in a terminal). An escape sequence cut off at the end of the text is dropped.
 */
export function parseAnsi(text: string, start: AnsiStyle = PLAIN): { segments: AnsiSegment[]; end: AnsiStyle } {
  const segments: AnsiSegment[] = [];
  let style = start;
  let run = '';
  const flush = () => {
    if (!run) return;
    const last = segments[segments.length - 1];
    if (last && last.fg === style.fg && last.bold === style.bold) last.text += run;
    else segments.push({ text: run, fg: style.fg, bold: style.bold });
    run = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const isCsi = ch === CSI_8BIT || (ch === ESC && text[i + 1] === '[');
    if (isCsi) {
      // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
      let j = i + (ch === ESC ? 2 : 1);
      const from = j;
      while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j += 1;
      const params = text.slice(from, j);
      while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j += 1;
      if (j >= text.length) break;
      const final = text[j]!;
      if (final === 'm' && /^[0-9;:]*$/.test(params)) {
        const next = applySgr(style, params);
        if (next !== style) {
          flush();
          style = next;
        }
      }
      i = j + 1;
    } else if (ch === ESC) {
      const kind = text[i + 1];
      if (kind === undefined) break;
      if (kind === ']' || kind === 'P' || kind === 'X' || kind === '^' || kind === '_') {
        // OSC and the other string commands (window titles, hyperlinks): up to BEL or ESC \.
        let j = i + 2;
        while (j < text.length && text[j] !== '\u0007' && !(text[j] === ESC && text[j + 1] === '\\')) j += 1;
        if (j >= text.length) break;
        i = j + (text[j] === '\u0007' ? 1 : 2);
      } else {
        // Other escapes: intermediate bytes, then one final byte ("ESC ( B", "ESC 7").
        let j = i + 1;
        while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j += 1;
        i = j + 1;
      }
    } else if (isControl(text.charCodeAt(i))) {
      i += 1;
    } else {
      run += ch;
      i += 1;
    }
  }
  flush();
  return { segments, end: style };
}
