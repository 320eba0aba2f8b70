// A node's free capacity: its engine's memory and CPUs (as `docker info` reports them) minus the limits of the servers
// placed on it (their rows, running or not: a stopped server may be started at any time).

/** What an engine has: its host's memory and CPUs. */
export type EngineResources = { memoryMb: number; cpus: number };

/** What the servers placed on a node were promised, summed. */
export type Allocation = { memoryMb: number; cpus: number; servers: number };

export type NodeCapacity = {
  /** free = total - allocated; below 0 when servers placed on it by hand promise more than the engine has. */
  memoryMb: { total: number; allocated: number; free: number };
  cpus: { total: number; allocated: number; free: number };
  servers: number;
};

export const NO_ALLOCATION: Allocation = { memoryMb: 0, cpus: 0, servers: 0 };

/** The engine's resources from its `docker info` answer (null when it tells neither). */
export function engineResources(info: { MemTotal?: unknown; NCPU?: unknown } | null | undefined): EngineResources | null {
  const bytes = Number(info?.MemTotal);
  const cpus = Number(info?.NCPU);
  if (!Number.isFinite(bytes) || bytes <= 0 || !Number.isFinite(cpus) || cpus <= 0) return null;
  return { memoryMb: Math.floor(bytes / (1024 * 1024)), cpus };
}

/** Two decimals: CPU limits such as 0.5 summed without floating-point noise. */
const cents = (n: number): number => Math.round(n * 100) / 100;

export function capacityOf(engine: EngineResources, allocation: Allocation): NodeCapacity {
  return {
    memoryMb: { total: engine.memoryMb, allocated: allocation.memoryMb, free: engine.memoryMb - allocation.memoryMb },
    cpus: { total: engine.cpus, allocated: cents(allocation.cpus), free: cents(engine.cpus - allocation.cpus) },
    servers: allocation.servers,
  };
}
