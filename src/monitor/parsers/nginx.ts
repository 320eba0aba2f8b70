// nginx (and Apache) "combined" access log lines: address, user, time, request, status, size, user agent.
import { MALFORMED, type LineParser } from './sshd.ts';

const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

/** The quoted field starting at `from` (which must be a double quote): its text and the index after its closing quote. */
function quoted(line: string, from: number): { text: string; next: number } | null {
  if (line.charCodeAt(from) !== 34) return null;
  let i = from + 1;
  let text = '';
  let start = i;
  for (; i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    if (c === 92 /* \ */) {
      text += line.slice(start, i);
      i += 1;
      start = i;
    } else if (c === 34) {
      return { text: text + line.slice(start, i), next: i + 1 };
    }
  }
  return null;
}

export function createNginxParser(): LineParser {
  let cachedTime = '';
  let cachedMs = 0;
  return (line) => {
    // 203.0.113.9 - alice [27/Nov/2026:09:00:01 +0000] "GET /api/v1/users HTTP/1.1" 200 512 "-" "curl/8.0"
    const sp1 = line.indexOf(' ');
    if (sp1 <= 0) return MALFORMED;
    const ip = line.slice(0, sp1);
    const open = line.indexOf(' [', sp1);
    const close = line.indexOf('] ', open);
    if (open === -1 || close === -1) return MALFORMED;
    const sp2 = line.indexOf(' ', sp1 + 1);
    const user = line.slice(sp2 + 1, open);
    const time = line.slice(open + 2, close);
    if (time !== cachedTime) {
      // 27/Nov/2026:09:00:01 +0000
      const month = MONTHS[time.slice(3, 6)];
      const ms = month ? Date.parse(`${time.slice(7, 11)}-${month}-${time.slice(0, 2)}T${time.slice(12, 20)}${time.slice(21, 24)}:${time.slice(24, 26)}`) : Number.NaN;
      if (Number.isNaN(ms)) return MALFORMED;
      cachedTime = time;
      cachedMs = ms;
    }
    const request = quoted(line, close + 2);
    if (!request) return MALFORMED;
    const rest = line.slice(request.next + 1);
    const sp3 = rest.indexOf(' ');
    const status = Number(rest.slice(0, sp3));
    if (!Number.isInteger(status)) return MALFORMED;
    const sp4 = rest.indexOf(' ', sp3 + 1);
    const bytes = Number(rest.slice(sp3 + 1, sp4 === -1 ? undefined : sp4)) || 0;
    let userAgent: string | null = null;
    if (sp4 !== -1) {
      const referer = quoted(rest, sp4 + 1);
      const agent = referer ? quoted(rest, referer.next + 1) : null;
      userAgent = agent && agent.text !== '-' ? agent.text : null;
    }
    const [method = '', path = ''] = request.text.split(' ');
    return {
      ts: cachedMs,
      source: 'nginx',
      event: 'http.request',
      ip,
      user: user === '-' || user === '' ? null : user,
      service: 'http',
      http: { method, path, status, bytes, userAgent },
      fields: null,
    };
  };
}
