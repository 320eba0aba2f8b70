// The checklist's one window on the host: system commands (no shell, minimal environment), files, a TLS handshake and
// an HTTP GET, each with a timeout. Checks see the host only through this interface.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';

export type RunResult = {
  /** Exit code; null when the command could not be started or was stopped. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command did not run to its end: not installed, stopped at the timeout, or another start error. */
  failure?: 'not_found' | 'timeout' | 'error';
  /** The start error's message (failure 'error'). */
  message?: string;
};

export type FileInfo = { isFile: boolean; isDirectory: boolean; mode: number; mtimeMs: number };

export type TlsResult = {
  /** The chain verifies against the trusted CAs (the system's, and NODE_EXTRA_CA_CERTS). */
  chainValid: boolean;
  /** OpenSSL's reason when it does not (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ...). */
  chainError: string | null;
  /** Why the certificate does not name the host, or null when it does. */
  hostnameError: string | null;
  subject: string | null;
  issuer: string | null;
  validFrom: string;
  validTo: string;
  altNames: string | null;
  protocol: string | null;
  selfSigned: boolean;
};

export type HttpResult = { status: number; body: string };

export interface HostProbe {
  /** Runs a command found on PATH, without a shell; never rejects. */
  run(cmd: string, args: readonly string[]): Promise<RunResult>;
  /** A file's text, or null when it does not exist; rejects on other errors (EACCES). */
  readFile(path: string): Promise<string | null>;
  /** A directory's entries, sorted, or null when it does not exist. */
  readDir(path: string): Promise<string[] | null>;
  stat(path: string): Promise<FileInfo | null>;
  /** Connects to host:port with TLS and describes the certificate; rejects when no handshake happens in time. */
  tlsConnect(host: string, port: number): Promise<TlsResult>;
  /** GET with a timeout; rejects when there is no answer in time. */
  httpGet(url: string, headers?: Record<string, string>): Promise<HttpResult>;
}

// SECURITY: commands get a fixed PATH and the C locale, nothing of the panel's environment (database URLs, passphrases).
const COMMAND_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
const MAX_OUTPUT = 4 * 1024 * 1024;
const MAX_BODY = 256 * 1024;

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';

const describeName = (name: Record<string, string | string[]> | undefined): string | null => {
  if (!name) return null;
  const pick = (k: string) => (Array.isArray(name[k]) ? (name[k] as string[]).join(', ') : (name[k] as string | undefined));
  return [pick('CN'), pick('O')].filter(Boolean).join(', ') || null;
};

export function createHostProbe(opts: { commandTimeoutMs: number; networkTimeoutMs: number }): HostProbe {
  return {
    run(cmd, args) {
      return new Promise((resolve) => {
        execFile(cmd, [...args], { env: COMMAND_ENV, timeout: opts.commandTimeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, windowsHide: true }, (err, stdout, stderr) => {
          const out = { stdout: String(stdout ?? ''), stderr: String(stderr ?? '') };
          if (!err) return resolve({ code: 0, ...out });
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
          if (e.code === 'ENOENT') return resolve({ code: null, ...out, failure: 'not_found' });
          if (e.killed) return resolve({ code: null, ...out, failure: 'timeout' });
          if (typeof e.code === 'number') return resolve({ code: e.code, ...out });
          resolve({ code: null, ...out, failure: 'error', message: e.message });
        });
      });
    },
    async readFile(path) {
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async readDir(path) {
      try {
        return (await readdir(path)).sort();
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async stat(path) {
      try {
        const st = await stat(path);
        return { isFile: st.isFile(), isDirectory: st.isDirectory(), mode: st.mode, mtimeMs: st.mtimeMs };
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    tlsConnect(host, port) {
      return new Promise((resolve, reject) => {
        // Verified by hand below, so an invalid certificate is described instead of refused unseen.
        const socket = connect({ host, port, ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`no TLS handshake with ${host}:${port} within ${opts.networkTimeoutMs / 1000} s`));
        }, opts.networkTimeoutMs);
        socket.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        socket.once('secureConnect', () => {
          clearTimeout(timer);
          const cert = socket.getPeerCertificate() as PeerCertificate;
          const identity = cert && Object.keys(cert).length ? checkServerIdentity(host, cert) : new Error('no certificate');
          const authError = socket.authorizationError ? String(socket.authorizationError) : null;
          resolve({
            chainValid: socket.authorized,
            chainError: socket.authorized ? null : authError ?? 'not verified',
            hostnameError: identity ? identity.message : null,
            subject: describeName(cert?.subject as unknown as Record<string, string>),
            issuer: describeName(cert?.issuer as unknown as Record<string, string>),
            validFrom: cert?.valid_from ?? '',
            validTo: cert?.valid_to ?? '',
            altNames: cert?.subjectaltname ?? null,
            protocol: socket.getProtocol(),
            selfSigned: authError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || authError === 'SELF_SIGNED_CERT_IN_CHAIN',
          });
          socket.end();
        });
      });
    },
    async httpGet(url, headers = {}) {
      const res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(opts.networkTimeoutMs) });
      const body = (await res.text()).slice(0, MAX_BODY);
      return { status: res.status, body };
    },
  };
}
