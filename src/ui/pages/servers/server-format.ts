// How servers read on screen: their ports, limits and states in words, and a node's free capacity.
import type { NodeCapacity, ServerLimits, ServerPort, ServerState } from '../../api/servers.types.ts';

/** "203.0.113.5:25565/tcp": where players connect. */
export const portText = (p: ServerPort) => `${p.hostIp}:${p.hostPort}/${p.protocol}`;

const cores = (cpu: number) => `${cpu} CPU${cpu === 1 ? '' : 's'}`;

export const memoryText = (mb: number) => (mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GiB` : `${mb} MiB`);

/** "2 GiB memory · 2 CPUs · 512 processes · 10 GiB disk". */
export const limitsText = (l: ServerLimits) => `${memoryText(l.memoryMb)} memory · ${cores(l.cpu)} · ${l.pids} processes · ${memoryText(l.diskMb)} disk`;

export const cpuText = (cpu: number) => cores(cpu);

/** "21.4 GiB": a node's memory, rounded (below 0 when more is promised than it has). */
const roughMemory = (mb: number) => (Math.abs(mb) >= 1024 ? `${(mb / 1024).toFixed(1)} GiB` : `${mb} MiB`);

/** "21.4 GiB of 23.5 GiB memory free · 1.5 of 2 CPUs unallocated · 2 servers". */
export const capacityText = (c: NodeCapacity) =>
  `${roughMemory(c.memoryMb.free)} of ${roughMemory(c.memoryMb.total)} memory free · ${c.cpus.free} of ${cores(c.cpus.total)} unallocated · ${c.servers} server${c.servers === 1 ? '' : 's'}`;

export const stateLabels: Record<ServerState, string> = {
  running: 'Running',
  starting: 'Starting',
  stopping: 'Stopping',
  stopped: 'Stopped',
  crashed: 'Crashed',
  unknown: 'Unknown',
};
