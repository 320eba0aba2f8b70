// The one place dockerode is used: a client per node (local socket, TCP with TLS client certificates, or SSH), and
// Docker failures turned into the panel's errors (an engine that does not answer is 503 docker_unreachable).
import Docker from 'dockerode';
import { sshFingerprint } from '../shared/ssh-key.ts';
import { SshDockerAgent } from './ssh-agent.ts';
import { AppError } from '../shared/errors.ts';

export type NodeConnection =
  | { kind: 'socket'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; ca: string; cert: string; key: string }
  | { kind: 'ssh'; host: string; port: number; username: string; privateKey: string; hostKeyFingerprint: string };

export type DockerClient = Docker;
export type { Docker };

/** A client for one node; nothing connects until the first call. */
export function dockerClient(conn: NodeConnection, timeoutMs = 30_000): Docker {
  if (conn.kind === 'socket') return new Docker({ socketPath: conn.socketPath, timeout: timeoutMs });
  if (conn.kind === 'tcp') {
    // SECURITY: a remote engine is only ever spoken to over TLS with a client certificate (never plain TCP :2375).
    return new Docker({ protocol: 'https', host: conn.host, port: conn.port, ca: conn.ca, cert: conn.cert, key: conn.key, timeout: timeoutMs });
  }
  // SECURITY: the engine's host key is pinned: a host answering with another key (a man in the middle) is not
  // logged in to, so the key that can run containers there is never used against it.
  const agent = new SshDockerAgent({
    host: conn.host,
    port: conn.port,
    username: conn.username,
    privateKey: conn.privateKey,
    verifyHostKey: (key) => sshFingerprint(key) === conn.hostKeyFingerprint,
    readyTimeoutMs: timeoutMs,
  });
  // dockerode hands `agent` to each request (its typings omit it): every request is one login over that agent.
  const options: Docker.DockerOptions & { agent: SshDockerAgent } = { protocol: 'http', host: conn.host, port: conn.port, agent, timeout: timeoutMs };
  return new Docker(options);
}

/** Ends the connections a client keeps open (SSH logins); the client is not used again. */
export function closeDockerClient(docker: Docker): void {
  const agent = (docker.modem as { agent?: unknown }).agent;
  if (agent instanceof SshDockerAgent) agent.destroy();
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ESOCKETTIMEDOUT']);

/** The HTTP status of a Docker API error, if it is one. */
export const dockerStatus = (err: unknown): number | undefined => (err as { statusCode?: number } | null)?.statusCode;

/** True when the engine could not be reached at all (as opposed to answering with an error). */
export function isUnreachable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && UNREACHABLE.has(e.code)) return true;
  // SSH: a refused login, a host key that is not the pinned one, a handshake that never ends.
  return /socket hang up|timeout|timed out|connect ETIMEDOUT|All configured authentication methods failed|Host denied/i.test(e.message ?? '');
}

/** 503 docker_unreachable: the engine of that node (or, without one, of every node) does not answer. */
export function engineUnreachable(node: string | null, cause?: unknown): AppError {
  const whose = node === null ? 'No node\'s Docker Engine answers' : `The Docker Engine of node "${node}" does not answer`;
  return new AppError(503, 'docker_unreachable', `${whose}. The panel keeps trying; try again shortly.`, {
    headers: { 'Retry-After': '10' },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** True for the panel's own "engine does not answer" error (as calls through a node throw it). */
export const isEngineUnreachable = (err: unknown): boolean => err instanceof AppError && err.code === 'docker_unreachable';

/** Rethrows a Docker failure as the panel's error: unreachable engines as 503, the rest as they are (logged as 500s). */
export function dockerFailure(err: unknown, node: string): never {
  if (isUnreachable(err)) throw engineUnreachable(node, err);
  throw err;
}
