// Node health: each engine asked for its facts (`docker info`) with a short timeout, the last answer kept per node, the
// fail-fast rule for calls to an engine that just did not answer, and a change between answering and not told once.
import type { Clock } from '../shared/clock.ts';
import type { Docker } from './docker.ts';
import { engineResources, type EngineResources } from './node-capacity.ts';

/** How often every node is checked (servers on a node that stops answering show `unknown` within about this long). */
export const HEALTH_INTERVAL_MS = 15_000;
/** How long a check waits for an engine's answer. */
export const HEALTH_TIMEOUT_MS = 5_000;
/** For this long after a failed check, calls to that engine fail at once instead of waiting for it again. */
export const FAIL_FAST_MS = 5_000;

export type NodeHealth = { reachable: boolean; checkedAt: string; version: string | null; error: string | null };

/** The fields of `docker info` a check reads. */
type EngineInfo = { ServerVersion?: string; MemTotal?: number; NCPU?: number };

type Entry = { health: NodeHealth; at: number; resources: EngineResources | null };

export type HealthChange = (nodeId: string, now: NodeHealth, before: NodeHealth) => void;

export type NodeHealthTracker = ReturnType<typeof createNodeHealth>;

export function createNodeHealth(deps: { clock: Clock; timeoutMs?: number; failFastMs?: number }) {
  const timeoutMs = deps.timeoutMs ?? HEALTH_TIMEOUT_MS;
  const failFastMs = deps.failFastMs ?? FAIL_FAST_MS;
  const entries = new Map<string, Entry>();
  const running = new Map<string, Promise<NodeHealth>>();
  const listeners = new Set<HealthChange>();

  function keep(id: string, health: NodeHealth, resources: EngineResources | null): NodeHealth {
    const before = entries.get(id)?.health;
    // An engine that stops answering keeps what it last told of itself (shown, never used to place a server).
    entries.set(id, { health, at: deps.clock.now(), resources: resources ?? entries.get(id)?.resources ?? null });
    // The first answer about a node is where it starts, not a change.
    if (before && before.reachable !== health.reachable) for (const l of listeners) l(id, health, before);
    return health;
  }

  async function ask(id: string, client: () => Docker): Promise<NodeHealth> {
    const checkedAt = new Date(deps.clock.now()).toISOString();
    try {
      const docker = client();
      // dockerode passes abortSignal on to the request; its typings do not list options for info().
      const info = await (docker.info as (opts: { abortSignal: AbortSignal }) => Promise<EngineInfo>).call(docker, { abortSignal: AbortSignal.timeout(timeoutMs) });
      return keep(id, { reachable: true, checkedAt, version: info.ServerVersion ?? null, error: null }, engineResources(info));
    } catch (err) {
      const e = err as Error;
      const error = e.name === 'AbortError' || e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.message ?? String(err)).slice(0, 200);
      return keep(id, { reachable: false, checkedAt, version: null, error }, null);
    }
  }

  return {
    /** Asks the engine now; a check of that node already under way is shared rather than sent again. */
    check(id: string, client: () => Docker): Promise<NodeHealth> {
      const pending = running.get(id);
      if (pending) return pending;
      const p = ask(id, client).finally(() => running.delete(id));
      running.set(id, p);
      return p;
    },
    /** The last answer (null: never asked). */
    get(id: string): NodeHealth | null {
      return entries.get(id)?.health ?? null;
    },
    /** The memory and CPUs the engine last told (null: it never answered). */
    resources(id: string): EngineResources | null {
      return entries.get(id)?.resources ?? null;
    },
    /**
     * What a call to the engine should do first: `fail` while a failed check is recent (the engine is not waited for
     * again), `check` when the last check failed longer ago (ask again, briefly, before waiting on it), else `go`.
     */
    before(id: string): 'go' | 'check' | 'fail' {
      const e = entries.get(id);
      if (!e || e.health.reachable) return 'go';
      return deps.clock.now() - e.at < failFastMs ? 'fail' : 'check';
    },
    forget(id: string): void {
      entries.delete(id);
    },
    /** Told when a node starts or stops answering (not on its first check). */
    onChange(listener: HealthChange): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
