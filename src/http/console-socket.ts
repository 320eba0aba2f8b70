// The console WebSocket, /api/v1/servers/:id/console: recent output, live output, state and stats out; commands in.
// Opened with a one-time ticket (browser sessions; the Origin is checked) or a bearer token, and closed at once when
// the session ends, the account is disabled or the permission goes away.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuditService, EventBus } from '../audit/index.ts';
import type { Caller } from '../auth/caller.ts';
import { can, type Actor } from '../auth/permissions.ts';
import { addressKey, parseCidr } from '../shared/cidr.ts';
import { isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { resolveClient } from './middleware/client-ip.ts';
import { PLAIN_COOKIE, SECURE_COOKIE } from './middleware/session.ts';
import type { Services } from './services.ts';

const PATH = /^\/api\/v1\/servers\/([A-Za-z0-9-]{1,64})\/console$/;
/** Close codes: the socket's own, in the 4000 range (4401 signed out, 4403 permission gone, 4404 server gone). */
export const CLOSE = { unauthenticated: 4401, forbidden: 4403, gone: 4404 } as const;
const RECHECK_MS = 5_000;
const STATS_MS = 2_000;
/** Commands one socket may send per second. */
const COMMANDS_PER_SECOND = 10;

type Auth = { kind: 'session'; sessionKey: string; userId: string } | { kind: 'bearer'; token: string };
type Conn = { ws: WebSocket; serverId: string; auth: Auth; ip: string; userAgent: string | null; actor: Actor; close(code: number, reason: string): void };

export type ConsoleSockets = ReturnType<typeof createConsoleSockets>;

/** One cookie's value from a Cookie header. */
function cookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export function createConsoleSockets(s: Services & { bus: EventBus }, opts: { trustedProxies: readonly string[]; publicUrl: string | undefined; logger: Logger; audit: AuditService }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });
  const trusted = opts.trustedProxies.map(parseCidr);
  const open = new Set<Conn>();

  /** The actor the socket acts as, asked again now; null when signed out, a string reason when not allowed. */
  async function actorNow(auth: Auth, serverId: string, ip: string, userAgent: string | null): Promise<Actor | 'signed_out' | 'forbidden'> {
    let actor: Actor | null = null;
    if (auth.kind === 'bearer') actor = await s.oauth.resolveBearer(auth.token, { ip, userAgent });
    else {
      const found = await s.sessions.lookup(auth.sessionKey);
      if (!found || 'expired' in found || found.info.userId !== auth.userId) return 'signed_out';
      const principal = await s.users.principal(auth.userId);
      if (!principal || principal.row.disabled) return 'signed_out';
      actor = principal.actor;
    }
    if (!actor) return 'signed_out';
    if (!can(actor, 'server.console', serverId)) return 'forbidden';
    if (await s.servers.suspendedFor(actor, serverId)) return 'forbidden';
    // SECURITY: the admin IP allowlist holds for the console as for every API call.
    if (can(actor, 'admin') && !(await s.allowlist.isAllowed(ip))) return 'forbidden';
    return actor;
  }

  function refuse(socket: Duplex, status: number, code: string, message: string): void {
    const body = JSON.stringify({ error: { code, message } });
    const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[status] ?? 'Error';
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n\r\n${body}`);
  }

  /**
   * Past the gates every request goes through (ban, rate limit, Origin), a refusal is given on the socket itself: the
   * browser cannot read a refused handshake's status, but it can read a close code and reason.
   */
  function closeWith(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
    wss.handleUpgrade(req, socket, head, (ws) => ws.close(code, reason));
  }

  const send = (ws: WebSocket, frame: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  async function recheck(conn: Conn): Promise<void> {
    const now = await actorNow(conn.auth, conn.serverId, conn.ip, conn.userAgent).catch(() => 'signed_out' as const);
    if (now === 'signed_out') conn.close(CLOSE.unauthenticated, 'signed out');
    else if (now === 'forbidden') conn.close(CLOSE.forbidden, 'permission removed');
    else conn.actor = now;
  }

  // Anything that can take access away (sign-out, revoked sessions, a disabled account, changed roles, a deleted or
  // suspended server) makes every open console check again at once; the timer catches the rest (expiry).
  const unsubscribe = s.bus.subscribe((event) => {
    if (!/^(auth\.|user\.|role\.|oauth\.|server\.deleted|server\.suspended)/.test(event.type)) return;
    for (const conn of open) void recheck(conn);
  });

  async function attach(ws: WebSocket, serverId: string, auth: Auth, actor: Actor, ip: string, userAgent: string | null): Promise<void> {
    const timers: NodeJS.Timeout[] = [];
    let stopWatching: (() => void) | null = null;
    let unState: (() => void) | null = null;
    const conn: Conn = {
      ws,
      serverId,
      auth,
      ip,
      userAgent,
      actor,
      close: (code, reason) => {
        if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
      },
    };
    open.add(conn);
    const caller = (): Caller => ({ actor: conn.actor, ip, userAgent });
    ws.on('close', () => {
      open.delete(conn);
      for (const t of timers) clearInterval(t);
      stopWatching?.();
      unState?.();
    });
    // Listening before anything is awaited: a command sent right after the handshake is not lost. It goes to the
    // server once its output is followed, so what the command prints is seen too.
    let following!: () => void;
    const ready = new Promise<void>((resolve) => (following = resolve));
    let windowStart = Date.now();
    let sent = 0;
    ws.on('message', (raw, isBinary) => {
      void (async () => {
        await ready;
        let msg: { type?: unknown; command?: unknown };
        try {
          msg = isBinary ? {} : (JSON.parse(raw.toString()) as typeof msg);
        } catch {
          msg = {};
        }
        if (msg.type !== 'command' || typeof msg.command !== 'string' || msg.command.length === 0 || msg.command.length > 4096 || /[\r\n\0]/.test(msg.command)) {
          send(ws, { type: 'error', code: 'bad_message', message: 'Send {"type":"command","command":"one line"}.' });
          return;
        }
        if (!can(conn.actor, 'server.console.send', serverId)) {
          send(ws, { type: 'error', code: 'forbidden', message: 'You need the "server.console.send" permission to send commands.' });
          return;
        }
        const now = Date.now();
        if (now - windowStart >= 1000) {
          windowStart = now;
          sent = 0;
        }
        if ((sent += 1) > COMMANDS_PER_SECOND) {
          send(ws, { type: 'error', code: 'rate_limited', message: 'Too many commands; slow down.' });
          return;
        }
        try {
          await s.servers.send(caller(), serverId, msg.command);
        } catch (err) {
          send(ws, { type: 'error', code: isAppError(err) ? err.code : 'command_failed', message: isAppError(err) && err.expose ? err.message : 'The command could not be sent.' });
        }
      })();
    });
    await opts.audit.record({ type: 'server.console.opened', actor: { type: actor.type, id: actor.id, name: actor.name }, ip, userAgent, target: { type: 'server', id: serverId, name: null }, outcome: 'success' });

    unState = s.servers.onState((id, state) => {
      if (id === serverId) send(ws, { type: 'state', state });
    });
    try {
      const watched = await s.servers.watchConsole(serverId, (data) => send(ws, { type: 'output', data }));
      // Closed while the follower was being set up: let it go at once, or it would follow for ever.
      if (!open.has(conn)) {
        watched.stop();
        return;
      }
      stopWatching = watched.stop;
      send(ws, { type: 'history', lines: watched.history });
    } catch (err) {
      send(ws, { type: 'error', code: isAppError(err) ? err.code : 'console_unavailable', message: isAppError(err) ? err.message : 'The console cannot be followed now.' });
    } finally {
      following();
    }
    send(ws, { type: 'state', state: (await s.servers.get(serverId)).state });

    if (!open.has(conn)) return;
    timers.push(setInterval(() => void recheck(conn), RECHECK_MS));
    timers.push(
      setInterval(() => {
        s.servers
          .stats(serverId)
          .then((stats) => send(ws, { type: 'stats', stats }))
          .catch(() => undefined);
      }, STATS_MS),
    );

  }

  return {
    /** Handles an HTTP upgrade; false when the path is not a console (the caller answers it). */
    handle(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      const url = new URL(req.url ?? '/', 'http://panel.invalid');
      const match = PATH.exec(url.pathname);
      if (!match) return false;
      const serverId = match[1]!;
      const { ip, secure } = resolveClient(req.socket.remoteAddress ?? '0.0.0.0', Boolean((req.socket as { encrypted?: boolean }).encrypted), { forwardedFor: req.headers['x-forwarded-for'] as string | undefined, forwardedProto: req.headers['x-forwarded-proto'] as string | undefined }, trusted);
      const userAgent = (req.headers['user-agent'] as string | undefined)?.slice(0, 512) ?? null;
      void (async () => {
        // SECURITY: the same gates as every request: bans, then the per-address limit.
        if (s.bans.isBanned(ip)) return refuse(socket, 403, 'ip_banned', 'Your address is banned for suspicious activity.');
        if ((await s.limits.apiPerIp.hit(addressKey(ip))).blocked) return refuse(socket, 429, 'rate_limited', 'Too many requests. Try again later.');
        let auth: Auth;
        const bearer = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(req.headers.authorization ?? '');
        if (bearer) auth = { kind: 'bearer', token: bearer[1]! };
        else {
          // SECURITY: a cross-site page cannot open the socket even with a ticket: the browser's Origin must be ours.
          const expected = opts.publicUrl ? new URL(opts.publicUrl).origin : `${secure ? 'https' : 'http'}://${req.headers.host ?? ''}`;
          if (req.headers.origin !== expected) return refuse(socket, 403, 'csrf_failed', 'Cross-origin console connection refused.');
          const ticket = await s.consoleTickets.take(url.searchParams.get('ticket') ?? '');
          if (!ticket || ticket.serverId !== serverId || addressKey(ticket.ip) !== addressKey(ip)) return closeWith(req, socket, head, CLOSE.unauthenticated, 'invalid ticket');
          // The session is the cookie the browser sends with the handshake (its id may have changed since the ticket
          // was made: sessions get a new id when privileges change); it must still be the ticket's user's.
          const sessionKey = cookie(req.headers.cookie ?? '', secure ? SECURE_COOKIE : PLAIN_COOKIE);
          if (!sessionKey) return closeWith(req, socket, head, CLOSE.unauthenticated, 'not signed in');
          auth = { kind: 'session', sessionKey, userId: ticket.userId };
        }
        const actor = await actorNow(auth, serverId, ip, userAgent);
        if (actor === 'signed_out') return closeWith(req, socket, head, CLOSE.unauthenticated, 'not signed in');
        if (actor === 'forbidden') return closeWith(req, socket, head, CLOSE.forbidden, 'the server.console permission is needed');
        await s.servers.get(serverId).catch(() => null).then((server) => {
          if (!server) return closeWith(req, socket, head, CLOSE.gone, 'no such server');
          wss.handleUpgrade(req, socket, head, (ws) => {
            attach(ws, serverId, auth, actor, ip, userAgent).catch((err: unknown) => {
              opts.logger.error({ err, server: serverId }, 'console socket failed');
              ws.close(1011, 'internal error');
            });
          });
        });
      })().catch((err: unknown) => {
        opts.logger.error({ err }, 'console upgrade failed');
        socket.destroy();
      });
      return true;
    },
    close(): void {
      unsubscribe();
      for (const conn of open) conn.close(1001, 'panel stopping');
      wss.close();
    },
  };
}
