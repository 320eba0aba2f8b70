// The console of each server: one follower of the container's output per server, shared by everyone watching, with the
// last lines kept for whoever connects next.
import { PassThrough } from 'node:stream';
import type { Logger } from '../shared/logger.ts';
import type { Docker } from './docker.ts';

/** Lines of output kept per server for the console's history. */
export const HISTORY_LINES = 500;

type Follower = {
  lines: string[];
  partial: string;
  listeners: Set<(data: string) => void>;
  stream: NodeJS.ReadableStream | null;
  containerId: string;
};

export type ConsoleHub = ReturnType<typeof createConsoleHub>;

export function createConsoleHub(deps: { logger: Logger }) {
  const followers = new Map<string, Follower>();
  let stopped = false;

  function keep(f: Follower, data: string): void {
    const parts = (f.partial + data).split('\n');
    f.partial = parts.pop() ?? '';
    for (const line of parts) f.lines.push(line.length > 4096 ? line.slice(0, 4096) : line);
    if (f.partial.length > 4096) {
      f.lines.push(f.partial.slice(0, 4096));
      f.partial = '';
    }
    if (f.lines.length > HISTORY_LINES) f.lines.splice(0, f.lines.length - HISTORY_LINES);
  }

  /** (Re)starts following a container's output: the last lines first, then everything it writes. */
  async function follow(f: Follower, docker: Docker): Promise<void> {
    if (stopped) return;
    const raw = (await docker.getContainer(f.containerId).logs({ follow: true, stdout: true, stderr: true, tail: f.lines.length ? 0 : HISTORY_LINES })) as unknown as NodeJS.ReadableStream;
    const out = new PassThrough();
    // Without a TTY Docker multiplexes stdout and stderr in one stream; both go to the console.
    docker.modem.demuxStream(raw, out, out);
    out.setEncoding('utf8');
    out.on('data', (data: string) => {
      keep(f, data);
      for (const l of f.listeners) l(data);
    });
    raw.on('end', () => {
      if (f.stream === raw) f.stream = null;
    });
    raw.on('error', () => {
      if (f.stream === raw) f.stream = null;
    });
    f.stream = raw;
    // The panel stopped (or nobody watches any more) while Docker was answering: do not keep following.
    if (stopped || f.listeners.size === 0) {
      (raw as unknown as { destroy?: () => void }).destroy?.();
      f.stream = null;
    }
  }

  return {
    /**
     * Watches a server's console: returns the lines kept so far; `onData` gets everything written from now on. The
     * container must exist; its output is followed while anybody watches.
     */
    async watch(serverId: string, containerId: string, docker: Docker, onData: (data: string) => void): Promise<{ history: string[]; stop: () => void }> {
      let f = followers.get(serverId);
      if (!f || f.containerId !== containerId) {
        f?.stream && (f.stream as unknown as { destroy?: () => void }).destroy?.();
        f = { lines: [], partial: '', listeners: new Set(), stream: null, containerId };
        followers.set(serverId, f);
      }
      const history = [...f.lines];
      f.listeners.add(onData);
      if (!f.stream) await follow(f, docker).catch((err: unknown) => deps.logger.warn({ err, server: serverId }, 'following the console failed'));
      const current = f;
      return {
        history,
        stop: () => {
          current.listeners.delete(onData);
          if (current.listeners.size === 0) {
            (current.stream as unknown as { destroy?: () => void } | null)?.destroy?.();
            current.stream = null;
          }
        },
      };
    },
    /** The container started again: its output stream ended with the last run, so followers resume. */
    async resume(serverId: string, docker: Docker): Promise<void> {
      const f = followers.get(serverId);
      if (f && f.listeners.size > 0 && !f.stream) await follow(f, docker).catch((err: unknown) => deps.logger.warn({ err, server: serverId }, 'following the console failed'));
    },
    forget(serverId: string): void {
      const f = followers.get(serverId);
      (f?.stream as unknown as { destroy?: () => void } | null)?.destroy?.();
      followers.delete(serverId);
    },
    stop(): void {
      stopped = true;
      for (const f of followers.values()) (f.stream as unknown as { destroy?: () => void } | null)?.destroy?.();
      followers.clear();
    },
  };
}
