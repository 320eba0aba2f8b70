// The one shape every source is turned into before rules see it: panel events, sshd lines, web server lines, audit log lines.

export type HttpInfo = { method: string; path: string; status: number; bytes: number; userAgent: string | null };

/**
 * One thing that happened. `ts` is milliseconds since the epoch, taken from the source (the log line's own time when
 * replaying a file), never from the wall clock. `event` is a dotted name: auth.login.failure, ssh.auth.failure, http.request...
 */
export type MonitorEvent = {
  ts: number;
  source: string;
  event: string;
  ip: string | null;
  user: string | null;
  service: string | null;
  http: HttpInfo | null;
  /** Extra fields a rule may match on (details of a panel event, e.g. limiter, scope, clientId). */
  fields: Record<string, string | number | boolean | null> | null;
  /** The log line the event was read from (live log files only). */
  raw?: string;
};

/** The fields a rule may match or key on, by name: ts, source, event, ip, user, service, http.method, http.status, ..., and any name in `fields`. */
export function fieldOf(ev: MonitorEvent, name: string): string | number | boolean | null {
  switch (name) {
    case 'event':
      return ev.event;
    case 'ip':
      return ev.ip;
    case 'user':
      return ev.user;
    case 'source':
      return ev.source;
    case 'service':
      return ev.service;
    case 'http.method':
      return ev.http?.method ?? null;
    case 'http.path':
      return ev.http?.path ?? null;
    case 'http.status':
      return ev.http?.status ?? null;
    case 'http.userAgent':
      return ev.http?.userAgent ?? null;
    default:
      return ev.fields?.[name] ?? null;
  }
}

export const makeEvent = (ts: number, source: string, event: string, ip: string | null, user: string | null, service: string | null = null): MonitorEvent => ({
  ts,
  source,
  event,
  ip,
  user,
  service,
  http: null,
  fields: null,
});
