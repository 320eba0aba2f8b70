// Timestamps of syslog lines, classic ("Nov 27 09:00:01", local time, no year) and RFC 3339, parsed once per second of log.

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/**
 * Reads the timestamp at the start of a line; returns its milliseconds and where the rest of the line starts, or null.
 * A classic timestamp has no year: the clock starts at `year` and moves on a year when the month goes backwards
 * (a log running over New Year). Consecutive lines of one second cost a string comparison.
 */
export function createSyslogClock(year: number) {
  let currentYear = year;
  let lastMonth = -1;
  let cachedPrefix = '';
  let cachedMs = 0;

  function classic(line: string): { ms: number; rest: number } | null {
    // "Nov 27 09:00:01 " — day may be space-padded ("Nov  7").
    if (line.length < 16 || line.charCodeAt(15) !== 32) return null;
    if (cachedPrefix.length === 15 && line.startsWith(cachedPrefix)) return { ms: cachedMs, rest: 16 };
    const prefix = line.slice(0, 15);
    const month = MONTHS[line.slice(0, 3)];
    if (month === undefined || line.charCodeAt(3) !== 32) return null;
    const day = Number(line.slice(4, 6).trim());
    const h = Number(line.slice(7, 9));
    const m = Number(line.slice(10, 12));
    const s = Number(line.slice(13, 15));
    if (!(day >= 1 && day <= 31) || !(h >= 0 && h < 24) || !(m >= 0 && m < 60) || !(s >= 0 && s < 61) || line[9] !== ':' || line[12] !== ':') return null;
    if (lastMonth !== -1 && month < lastMonth - 6) currentYear += 1;
    lastMonth = month;
    cachedPrefix = prefix;
    cachedMs = new Date(currentYear, month, day, h, m, s).getTime();
    return { ms: cachedMs, rest: 16 };
  }

  function rfc3339(line: string): { ms: number; rest: number } | null {
    const space = line.indexOf(' ');
    if (space < 19 || space > 40 || line.charCodeAt(10) !== 84 /* T */) return null;
    // "2026-11-27T09:00:01.123456+00:00": the second and the zone are parsed once, the fraction is added.
    let end = 19;
    while (end < space && line.charCodeAt(end) !== 43 && line.charCodeAt(end) !== 45 && line.charCodeAt(end) !== 90) end += 1;
    const fraction = line.charCodeAt(19) === 46 ? Number(`0${line.slice(19, end)}`) : 0;
    const key = line.slice(0, 19) + line.slice(end, space);
    if (key !== cachedPrefix) {
      const ms = Date.parse(key);
      if (Number.isNaN(ms) || Number.isNaN(fraction)) return null;
      cachedPrefix = key;
      cachedMs = ms;
    }
    return { ms: cachedMs + Math.floor(fraction * 1000), rest: space + 1 };
  }

  return {
    read(line: string): { ms: number; rest: number } | null {
      const c = line.charCodeAt(0);
      return c >= 48 && c <= 57 ? rfc3339(line) : classic(line);
    },
  };
}
