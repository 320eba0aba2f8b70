// SFTP on port 5657 (ssh2): a banned address is dropped before the SSH handshake; a user logs in as
// <username>.<server short id> with their password (not with 2FA on: then an SFTP app password or an SSH key), and
// gets that server's files only, with server.sftp to log in and the file scopes per request. Every open session is
// checked again every few seconds and on every change of users, roles and credentials: it ends when they no longer
// allow it (user disabled, password changed, key or app password removed, scope taken away, server deleted).
import { createServer, type Server as TcpServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuditEvent, AuditService, EventBus } from '../audit/index.ts';
import type { PasswordHasher } from '../auth/password.hasher.ts';
import { can } from '../auth/permissions.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import { APP_PASSWORD_PREFIX, type SftpCredentials } from '../auth/sftp-credentials.service.ts';
import type { UsersService } from '../auth/users.service.ts';
import type { FilesService } from '../files/index.ts';
import type { BansService } from '../monitor/index.ts';
import type { ServersService } from '../servers/index.ts';
import { normalizeIp } from '../shared/cidr.ts';
import { loadOrCreateSecretFile } from '../shared/key-file.ts';
import type { Logger } from '../shared/logger.ts';
import { sshFingerprint } from '../shared/ssh-key.ts';
import { runSftpSession } from './session.ts';

const { Server: SshServer, utils } = ssh2;

/** Modern algorithms only: curve25519, ed25519, ChaCha20-Poly1305 and AES-GCM; no SHA-1, no CBC. */
export const SFTP_ALGORITHMS = {
  kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org'],
  serverHostKey: ['ssh-ed25519'],
  cipher: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-gcm@openssh.com'],
  // Used only with a cipher that is not an AEAD; all offered are, but the protocol wants one listed.
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'],
  compress: ['none'],
} as const;

/** Events after which open sessions are checked at once rather than at the next tick. */
const RECHECK_ON = /^(user\.|role\.|sftp\.key_removed|sftp\.app_password_revoked|server\.deleted|server\.suspended|auth\.sessions_revoked|lockdown\.)/;

type Credential = { kind: 'password'; passwordChangedAt: number } | { kind: 'key'; id: string } | { kind: 'app_password'; id: string };
type Login = { userId: string; username: string; serverId: string; serverName: string; credential: Credential; at: number };
type Principal = NonNullable<Awaited<ReturnType<UsersService['principal']>>>;
/** An open connection: its login, the user's grants as last checked (what each request is allowed by), and its end. */
type Live = { login: Login; principal: Principal; end(reason: string): void };

export type SftpServerDeps = {
  host: string;
  port: number;
  recheckMs: number;
  keysDir: string;
  users: UsersService;
  hasher: PasswordHasher;
  credentials: SftpCredentials;
  servers: ServersService;
  files: FilesService;
  bans: BansService;
  limits: RateLimits;
  audit: AuditService;
  bus: EventBus;
  logger: Logger;
  /** After a lockdown every older session ends; in maintenance mode only administrators log in. */
  lockdown: { endsSession(loginAt: number): Promise<boolean>; maintenance(): Promise<boolean> };
};

/** `<username>.<short id>`: the last dot splits them (user names may hold dots). */
export function parseSftpUsername(name: string): { username: string; shortId: string } | null {
  const at = name.lastIndexOf('.');
  if (at <= 0 || at === name.length - 1 || name.length > 300) return null;
  return { username: name.slice(0, at), shortId: name.slice(at + 1) };
}

export type SftpServer = ReturnType<typeof createSftpServer>;

/**
 * A new ed25519 host key that ssh2 reads back: its generator drops a public key's leading zero byte (about one key in
 * 256, mscdex/ssh2#1513), and such a key could never be loaded; another is made instead.
 */
function newHostKey(): string {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair.private;
  }
}

export function createSftpServer(deps: SftpServerDeps) {
  const { users, hasher, credentials, servers, bans, limits, audit, logger } = deps;
  const hostKey = loadOrCreateSecretFile(deps.keysDir, 'sftp_host_ed25519', newHostKey);
  const live = new Map<ssh2.Connection, Live>();

  const parsedHostKey = utils.parseKey(hostKey);
  if (parsedHostKey instanceof Error) throw parsedHostKey;
  const fingerprint = sshFingerprint(parsedHostKey.getPublicSSH());
  // The TCP socket under each SSH connection, by the client's address and port, so a session can batch its writes.
  const sockets = new Map<string, Socket>();
  const ssh = new SshServer({ hostKeys: [hostKey], ident: 'AetherPanel', algorithms: SFTP_ALGORITHMS as unknown as ssh2.Algorithms }, (client, info) =>
    onClient(client, normalizeIp(info.ip), sockets.get(`${info.ip}|${info.port}`) ?? null),
  );
  // SECURITY: a banned address gets no SSH handshake at all (the TCP connection is closed at once).
  const tcp: TcpServer = createServer((socket) => {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    if (bans.isBanned(ip)) {
      socket.destroy();
      return;
    }
    socket.on('error', () => undefined);
    // The handshake and each request's answer go out at once (Nagle's delay would hold them for the client's ACK);
    // bulk data is batched by the session instead.
    socket.setNoDelay(true);
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    sockets.set(key, socket);
    socket.once('close', () => sockets.delete(key));
    ssh.injectSocket(socket);
  });

  /** Audits a failed login and counts it on the address's login limit: once blocked, the connection is dropped. */
  const failure = async (ip: string, username: string, method: string, reason: string): Promise<'reject' | 'drop'> => {
    await audit.record({ type: 'sftp.auth.failure', actor: { type: 'anonymous', id: null, name: username.slice(0, 200) }, ip, userAgent: null, target: null, outcome: 'failure', details: { username: username.slice(0, 200), method, reason } });
    return (await limits.loginPerIp.hit(ip)).blocked ? 'drop' : 'reject';
  };

  /** Whether a login still stands: the user active, the credential unchanged, the scope held, the server there. */
  async function recheck(s: Live): Promise<string | null> {
    const { login } = s;
    const principal = await users.principal(login.userId);
    if (!principal || principal.row.disabled) return 'user_disabled';
    s.principal = principal;
    const c = login.credential;
    if (c.kind === 'password' && Number(principal.row.password_changed_at ?? 0) !== c.passwordChangedAt) return 'password_changed';
    if (c.kind === 'password' && principal.twoFactor) return 'two_factor_enabled';
    if (c.kind === 'key' && !(await credentials.hasKey(login.userId, c.id))) return 'key_removed';
    if (c.kind === 'app_password' && !(await credentials.hasAppPassword(login.userId, c.id))) return 'app_password_revoked';
    if (!(await servers.get(login.serverId).then(() => true, () => false))) return 'server_deleted';
    if (!can(principal.actor, 'server.sftp', login.serverId)) return 'access_removed';
    if (await deps.lockdown.endsSession(login.at)) return 'lockdown';
    if (c.kind === 'password' && principal.row.password_reset_required) return 'password_change_required';
    if (!principal.actor.grants.global.has('admin') && (await deps.lockdown.maintenance())) return 'maintenance';
    if (await servers.suspendedFor(principal.actor, login.serverId)) return 'server_suspended';
    return null;
  }

  let checking: Promise<void> | null = null;
  function recheckAll(): Promise<void> {
    checking ??= (async () => {
      for (const s of [...live.values()]) {
        const why = await recheck(s).catch((err: unknown) => {
          logger.error({ err }, 'checking an SFTP session failed');
          return null;
        });
        if (why) s.end(why);
      }
    })().finally(() => {
      checking = null;
    });
    return checking;
  }
  const timer = setInterval(() => void recheckAll(), deps.recheckMs);
  timer.unref();
  const unsubscribe = deps.bus.subscribe((e: AuditEvent) => {
    if (!RECHECK_ON.test(e.type) || live.size === 0) return;
    // The change is seen at once, not after the principal cache's few seconds.
    users.invalidate();
    void recheckAll();
  });

  function onClient(client: ssh2.Connection, ip: string, socket: Socket | null): void {
    let login: Login | null = null;
    let loginPrincipal: Principal | null = null;
    client.on('error', () => undefined);

    client.on('authentication', (ctx) => {
      void authenticate(ctx)
        .then((result) => {
          if (result === 'accept') ctx.accept();
          else if (result === 'drop') {
            ctx.reject([]);
            client.end();
          } else ctx.reject(['publickey', 'password']);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'SFTP authentication failed with an error');
          ctx.reject(['publickey', 'password']);
        });
    });

    async function authenticate(ctx: ssh2.AuthContext): Promise<'accept' | 'reject' | 'drop'> {
      if (ctx.method !== 'password' && ctx.method !== 'publickey') return 'reject';
      if ((await limits.loginPerIp.blockedFor(ip)) > 0) {
        await failure(ip, ctx.username, ctx.method, 'rate_limited');
        return 'drop';
      }
      const name = parseSftpUsername(ctx.username);
      const user = name ? await users.findForLogin(name.username) : undefined;
      let credential: Credential | null = null;
      if (ctx.method === 'password') {
        const pw = ctx.password;
        if (user && pw.startsWith(APP_PASSWORD_PREFIX)) {
          const id = await credentials.checkAppPassword(user.id, pw);
          if (id) credential = { kind: 'app_password', id };
        } else {
          // The same argon2 check as the panel's (and as long for a user who does not exist).
          const ok = user ? await hasher.verify(user.password_hash, pw) : await hasher.verifyDummy(pw);
          if (ok && user) {
            const principal = await users.principal(user.id);
            if (principal?.twoFactor) {
              return failure(ip, ctx.username, 'password', 'two_factor_requires_key_or_app_password');
            }
            credential = { kind: 'password', passwordChangedAt: Number(user.password_changed_at ?? 0) };
          }
        }
      } else {
        const key = user ? await credentials.keyFor(user.id, sshFingerprint(ctx.key.data)) : null;
        // A key offered without a signature only asks whether it would do: no failure counted for the others.
        if (!key) return ctx.signature ? failure(ip, ctx.username, 'publickey', 'unknown_key') : 'reject';
        if (!ctx.signature) return 'accept';
        const type = key.blob.subarray(4, 4 + key.blob.readUInt32BE(0)).toString('latin1');
        const parsed = utils.parseKey(`${type} ${key.blob.toString('base64')}`);
        const verified = !(parsed instanceof Error) && parsed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true;
        if (verified) credential = { kind: 'key', id: key.id };
      }
      if (!credential || !user || !name) {
        return failure(ip, ctx.username, ctx.method, !name ? 'bad_username' : !user ? 'unknown_user' : 'wrong_credential');
      }
      const server = await servers.byShortId(name.shortId);
      const principal = await users.principal(user.id);
      const refused =
        !principal || principal.row.disabled
          ? 'user_disabled'
          : !server
            ? 'unknown_server'
            : !can(principal.actor, 'server.sftp', server.id)
              ? 'no_access'
              : (await servers.suspendedFor(principal.actor, server.id))
                ? 'server_suspended'
                : credential.kind === 'password' && principal.row.password_reset_required
                  ? 'password_change_required'
                  : !principal.actor.grants.global.has('admin') && (await deps.lockdown.maintenance())
                    ? 'maintenance'
                    : null;
      if (refused) {
        return failure(ip, ctx.username, ctx.method, refused);
      }
      login = { userId: user.id, username: user.username, serverId: server!.id, serverName: server!.name, credential, at: Date.now() };
      loginPrincipal = principal!;
      if (credential.kind !== 'password') await credentials.touch(credential.kind, credential.id);
      await audit.record({
        type: 'sftp.login',
        actor: { type: 'user', id: user.id, name: user.username },
        ip,
        userAgent: null,
        target: { type: 'server', id: server!.id, name: server!.name },
        outcome: 'success',
        details: { method: credential.kind },
      });
      return 'accept';
    }

    client.on('ready', () => {
      if (!login || !loginPrincipal) return client.end();
      const current = login;
      const state: Live = { login: current, principal: loginPrincipal, end: () => undefined };
      const sessions = new Set<{ close(): void }>();
      const end = (reason: string) => {
        if (!live.has(client)) return;
        live.delete(client);
        logger.info({ user: current.username, server: current.serverId, reason }, 'SFTP session ended');
        void audit.record({ type: 'sftp.session_ended', actor: { type: 'user', id: current.userId, name: current.username }, ip, userAgent: null, target: { type: 'server', id: current.serverId, name: current.serverName }, outcome: 'success', details: { reason } });
        for (const s of sessions) s.close();
        client.end();
      };
      state.end = end;
      live.set(client, state);
      client.on('close', () => live.delete(client));

      client.on('session', (accept) => {
        const session = accept();
        session.on('subsystem', (acceptSub, rejectSub, info) => {
          if (info.name !== 'sftp') return rejectSub();
          // Accepted at once (a channel accepted later loses what the client sends first), held until the files are ready.
          const channel = acceptSub() as unknown as Duplex;
          channel.pause();
          void deps.files
            .fsOf(current.serverId)
            .then((fs) => {
              // Each request is allowed by the grants as last checked (every few seconds, and at once on a change).
              const allowed = (scope: string) => live.get(client) === state && can(state.principal.actor, scope, current.serverId);
              const run = runSftpSession(channel, {
                fs,
                socket,
                access: { canRead: () => allowed('server.files.view'), canWrite: () => allowed('server.files.edit') },
                audit: (action, details, outcome = 'success') =>
                  void audit.record({ type: `file.${action}`, actor: { type: 'user', id: current.userId, name: current.username }, ip, userAgent: null, target: { type: 'server', id: current.serverId, name: current.serverName }, outcome, details: { ...details, via: 'sftp' } }),
                logger,
              });
              sessions.add(run);
            })
            .catch((err: unknown) => {
              logger.error({ err }, 'starting an SFTP session failed');
              client.end();
            });
        });
      });
    });
  }

  return {
    /** The host key's SHA256 fingerprint, for users to check on their first connection. */
    hostKeyFingerprint: fingerprint,
    async listen(): Promise<number> {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(deps.port, deps.host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      const address = tcp.address();
      return typeof address === 'object' && address ? address.port : deps.port;
    },
    /** Open sessions, by user. */
    sessions: () => [...live.values()].map((s) => ({ userId: s.login.userId, serverId: s.login.serverId })),
    /** Ends every open session (lockdown), or those of one user. */
    endSessions(reason: string, userId?: string): number {
      let n = 0;
      for (const s of [...live.values()]) {
        if (userId && s.login.userId !== userId) continue;
        s.end(reason);
        n += 1;
      }
      return n;
    },
    async close(): Promise<void> {
      clearInterval(timer);
      unsubscribe();
      for (const s of [...live.values()]) s.end('panel_stopping');
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
