// Text helpers the channel providers share: fitting text into a length limit, HTML escaping, one-line forms, header-safe ids.
import { createHash } from 'node:crypto';

const ELLIPSIS = '…';

/**
 * Escapes `text` with `escape` (applied per code point) and fits the result into `max` UTF-16 code units, ending with
 * "…" when cut. The limit holds for the escaped form, and a cut never splits an escape sequence or a surrogate pair.
 */
export function fit(text: string, max: number, escape: (ch: string) => string = (ch) => ch): string {
  let out = '';
  let cut = false;
  for (const ch of text) {
    const piece = escape(ch);
    if (out.length + piece.length > max) {
      cut = true;
      break;
    }
    out += piece;
  }
  if (!cut) return out;
  // Make room for the ellipsis by dropping whole escaped pieces from the end.
  let kept = '';
  for (const ch of text) {
    const piece = escape(ch);
    if (kept.length + piece.length > max - ELLIPSIS.length) break;
    kept += piece;
  }
  return kept + ELLIPSIS;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtmlChar = (ch: string): string => HTML_ESCAPES[ch] ?? ch;

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, escapeHtmlChar);

/** Line breaks and other control characters become spaces: for subjects, titles and header values. */
export const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();

/**
 * A form of a notification id that is safe in a header and in a Message-ID: the id itself when it is made of
 * letters, digits, dot, dash and underscore, otherwise its SHA-256, so the same id always gives the same token.
 */
export function headerToken(id: string): string {
  // SECURITY: the id lands in headers (X-Aether-Delivery, Message-ID); anything but a plain token is hashed, never copied.
  if (/^[A-Za-z0-9._-]{1,128}$/.test(id)) return id;
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/** The link to the panel when it is an http(s) URL, else null (a receiver must never get a javascript: or data: link). */
export function safeLink(url: string | null): string | null {
  if (url === null || url.length > 2048) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
