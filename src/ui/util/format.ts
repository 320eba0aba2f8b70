// Formatting of dates, times and durations for display, and conversion for datetime-local inputs.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (withSeconds ? dateTimeSeconds : dateTime).format(date);
}

/** A datetime-local value (local wall clock) as an ISO timestamp, or '' when empty or invalid. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

const durationUnits: ReadonlyArray<readonly [seconds: number, one: string, many: string]> = [
  [86_400, ' day', ' days'],
  [3_600, ' h', ' h'],
  [60, ' min', ' min'],
  [1, ' s', ' s'],
];

/** A number of seconds as days, hours, minutes and seconds, largest first, leaving out zero parts ("1 h 30 min"). */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const parts: string[] = [];
  for (const [size, one, many] of durationUnits) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${count === 1 ? one : many}`);
  }
  return parts.length ? parts.join(' ') : '0 s';
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/** Text written by the server ("banned until 2026-…Z") with its ISO timestamps in local time, like every other time shown. */
export function localizeTimes(text: string): string {
  return text.replace(ISO_TIME, (iso) => formatDateTime(iso));
}
