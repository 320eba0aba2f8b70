// Copies of strings and events that outlive a log chunk: a substring would otherwise keep its whole 1 MiB chunk alive.

/**
 * A string with no tie to the text it was cut from. V8 keeps a slice of 13 or more characters as a view into its
 * parent, so state that keeps such a slice (a key, an evidence event) would keep the whole chunk of log in memory.
 */
export const detach = (s: string): string => (s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string));

const detachValue = <T>(v: T): T => (typeof v === 'string' ? (detach(v) as T) : v);

/** A copy of an event that can be kept (evidence) without keeping the log text it came from. */
export function detachEvent<E extends { ip: string | null; user: string | null; service: string | null; http: { method: string; path: string; status: number; bytes: number; userAgent: string | null } | null; fields: Record<string, string | number | boolean | null> | null }>(ev: E): E {
  return {
    ...ev,
    ip: ev.ip === null ? null : detach(ev.ip),
    user: ev.user === null ? null : detach(ev.user),
    service: ev.service === null ? null : detach(ev.service),
    http: ev.http === null ? null : { ...ev.http, method: detach(ev.http.method), path: detach(ev.http.path), userAgent: ev.http.userAgent === null ? null : detach(ev.http.userAgent) },
    fields: ev.fields === null ? null : Object.fromEntries(Object.entries(ev.fields).map(([k, v]) => [k, detachValue(v)])),
  };
}
