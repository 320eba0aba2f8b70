// Servers' container exits, as each node's engine tells them: the node's event stream followed (again after a cut,
// from a second before it), and each exit told apart by the container as it is now, then handed on once.
//
// The event only says that a container exited. Docker keeps only its latest events for a reconnection to replay, so an
// exit's event can be lost, and a replay can bring the exit of a run that is over (the container runs again). The
// container's own state says which exit this is (its FinishedAt), with what code, and whether it was killed for memory.
import type { Clock } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { dockerStatus, isUnreachable, type Docker } from './docker.ts';
import { LABEL_SERVER } from './node-states.ts';
import type { NodesService } from './nodes.service.ts';

export type ContainerExit = { serverId: string; exitCode: number; oomKilled: boolean };

type DockerEvent = { status?: string; Action?: string; id?: string; timeNano?: number; Actor?: { Attributes?: Record<string, string> } };

/** Pause before following a node's events again after the stream ended or could not be opened. */
const RETRY_MS = 5_000;

export function createContainerExits(deps: {
  clock: Clock;
  logger: Logger;
  nodes: Pick<NodesService, 'live'>;
  /** The server's current container (null: the server is gone). */
  containerOf: (serverId: string) => Promise<string | null>;
  /** The servers on a node that have a container. */
  containersOn: (nodeId: string) => Promise<Array<{ serverId: string; containerId: string }>>;
  /** Told once per exit of a server's current container. */
  onExit: (exit: ContainerExit) => Promise<void>;
}) {
  const { clock, logger, nodes } = deps;
  const followers = new Map<string, { stop(): void }>();
  const oomSeen = new Set<string>();
  /** Events already handled (a reconnection replays from a second before it was cut). */
  const seen = new Set<string>();
  /** Per server, the exit last handed on (its container's FinishedAt): one exit is one stop or one crash, however
   * many events tell of it. */
  const handled = new Map<string, string>();

  async function onEvent(e: DockerEvent, docker: Docker): Promise<void> {
    const action = e.Action ?? e.status;
    const key = `${e.id ?? ''}:${action ?? ''}:${e.timeNano ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > 10_000) seen.clear();
    const serverId = e.Actor?.Attributes?.[LABEL_SERVER];
    if (!serverId || !e.id) return;
    if (action === 'oom') {
      oomSeen.add(serverId);
      return;
    }
    if (action !== 'die') return;
    // Deleted, or the container of before a reinstall.
    if ((await deps.containerOf(serverId)) !== e.id) return;
    await exitOf(serverId, e.id, docker, 0);
  }

  /**
   * Hands on the container's exit if it is not running, exited at `after` (ms since the epoch) or later, and that
   * exit was not handed on yet.
   */
  async function exitOf(serverId: string, containerId: string, docker: Docker, after: number): Promise<void> {
    let info: Awaited<ReturnType<ReturnType<Docker['getContainer']>['inspect']>>;
    try {
      info = await docker.getContainer(containerId).inspect();
    } catch (err) {
      // Gone meanwhile, or the engine with it (its servers' states are read again when it answers).
      if (dockerStatus(err) !== 404 && !isUnreachable(err)) throw err;
      return;
    }
    if (info.State.Running) {
      oomSeen.delete(serverId);
      return;
    }
    const finished = info.State.FinishedAt;
    if (Date.parse(finished) < after || handled.get(serverId) === finished) return;
    handled.set(serverId, finished);
    const oomKilled = oomSeen.delete(serverId) || info.State.OOMKilled;
    await deps.onExit({ serverId, exitCode: info.State.ExitCode, oomKilled });
  }

  /** After a cut: the node's containers that exited since it began, in case Docker no longer has those events. */
  async function catchUp(nodeId: string, docker: Docker, sinceMs: number): Promise<void> {
    for (const { serverId, containerId } of await deps.containersOn(nodeId)) await exitOf(serverId, containerId, docker, sinceMs);
  }

  return {
    /** Follows the node's container events, unless already. */
    follow(nodeId: string): void {
      if (followers.has(nodeId)) return;
      let closed = false;
      let stream: NodeJS.ReadableStream | null = null;
      let retry: NodeJS.Timeout | null = null;
      /** Seconds since the epoch of the last moment the stream was known to be connected: a reconnection asks Docker
       * for the events since then, so an exit while the engine was out of reach is seen if Docker still has it. */
      let since: number | null = null;
      const connect = () => {
        if (closed) return;
        let docker: Docker;
        nodes
          .live(nodeId)
          .then((node) => {
            docker = node.docker;
            return docker.getEvents({ ...(since === null ? {} : { since }), filters: { type: ['container'], event: ['die', 'oom'], label: [LABEL_SERVER] } });
          })
          .then((s) => {
            stream = s;
            // A reconnection: an exit while the stream was cut is found from the containers themselves too, in case
            // Docker no longer keeps its event (it keeps only its latest ones).
            if (since !== null) catchUp(nodeId, docker, since * 1000).catch((err: unknown) => logger.error({ err, node: nodeId }, 'reading the exits missed while the event stream was cut failed'));
            since = Math.floor(clock.now() / 1000) - 1;
            let buf = '';
            s.on('data', (chunk: Buffer) => {
              buf += chunk.toString('utf8');
              let nl: number;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                if (line.trim()) onEvent(JSON.parse(line) as DockerEvent, docker).catch((err: unknown) => logger.error({ err }, 'handling a container event failed'));
              }
            });
            // However the stream ends (the engine restarted, the connection cut), follow again shortly.
            let ended = false;
            const again = () => {
              if (ended) return;
              ended = true;
              stream = null;
              since = Math.floor(clock.now() / 1000) - 1;
              if (!closed) retry = setTimeout(connect, RETRY_MS);
            };
            s.on('end', again);
            s.on('error', again);
            s.on('close', again);
          })
          .catch((err: unknown) => {
            // The node was removed: nothing left to follow.
            if (isAppError(err) && err.status === 404) {
              closed = true;
              followers.delete(nodeId);
              return;
            }
            if (!closed) retry = setTimeout(connect, RETRY_MS);
          });
      };
      connect();
      followers.set(nodeId, {
        stop: () => {
          closed = true;
          if (retry) clearTimeout(retry);
          (stream as unknown as { destroy?: () => void } | null)?.destroy?.();
        },
      });
    },
    /** A deleted server's exits are no longer remembered. */
    forget(serverId: string): void {
      handled.delete(serverId);
      oomSeen.delete(serverId);
    },
    stop(): void {
      for (const f of followers.values()) f.stop();
      followers.clear();
    },
  };
}
