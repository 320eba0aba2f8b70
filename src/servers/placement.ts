// Where a server goes when no node is named: the reachable node with the most free memory that still fits the server's
// limits and has the ports it needs. Memory is a hard promise (a container's memory limit is also its swap limit), so a
// node without enough free memory is never chosen. CPU limits are ceilings that servers share in time (a node commonly
// holds more half-core servers than it has cores), so free CPUs only decide between nodes with as much free memory,
// and a server may not ask for more CPUs than a node has at all (Docker would refuse it).
import type { NodeCapacity } from './node-capacity.ts';

export type PlacementCandidate = {
  id: string;
  name: string;
  capacity: NodeCapacity | null;
  /** Why the node cannot take the server whatever its capacity (its engine does not answer, no free port), or null. */
  refused: string | null;
};

export type PlacementVerdict = { id: string; name: string; reason: string };

export type Placement = {
  /** The node chosen, and why (null: none fits). */
  chosen: PlacementVerdict | null;
  /** Every node that could not take the server, and why. */
  refused: PlacementVerdict[];
};

/** Most free memory first, then most free CPUs, then fewest servers; the name breaks a tie so the choice is stable. */
function better(a: { name: string; capacity: NodeCapacity }, b: { name: string; capacity: NodeCapacity }): number {
  return b.capacity.memoryMb.free - a.capacity.memoryMb.free || b.capacity.cpus.free - a.capacity.cpus.free || a.capacity.servers - b.capacity.servers || a.name.localeCompare(b.name);
}

const describe = (c: NodeCapacity): string =>
  `${c.memoryMb.free} of ${c.memoryMb.total} MiB memory free, ${c.cpus.free} of ${c.cpus.total} CPUs unallocated, ${c.servers} server${c.servers === 1 ? '' : 's'}`;

export function choosePlacement(candidates: readonly PlacementCandidate[], wanted: { memoryMb: number; cpu: number }): Placement {
  const refused: PlacementVerdict[] = [];
  const fitting: Array<{ id: string; name: string; capacity: NodeCapacity }> = [];
  for (const c of candidates) {
    const no = (reason: string) => refused.push({ id: c.id, name: c.name, reason });
    if (c.refused) no(c.refused);
    else if (!c.capacity) no('its engine did not tell its memory and CPUs');
    else if (wanted.cpu > c.capacity.cpus.total) no(`the server asks for ${wanted.cpu} CPUs and the node has ${c.capacity.cpus.total}`);
    else if (wanted.memoryMb > c.capacity.memoryMb.free) no(`the server needs ${wanted.memoryMb} MiB of memory and ${Math.max(0, c.capacity.memoryMb.free)} MiB are free`);
    else fitting.push({ id: c.id, name: c.name, capacity: c.capacity });
  }
  const [best, next] = fitting.sort(better);
  if (!best) return { chosen: null, refused };
  const reason =
    fitting.length === 1
      ? `the only node that fits: ${describe(best.capacity)}`
      : `most free capacity: ${describe(best.capacity)} (next: ${next!.name}, ${describe(next!.capacity)})`;
  return { chosen: { id: best.id, name: best.name, reason }, refused };
}
