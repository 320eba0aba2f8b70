// How servers read on screen: their ports, limits and states in words.
import type { ServerLimits, ServerPort, ServerState } from '../../api/servers.types.ts';

/** "203.0.113.5:25565/tcp": where players connect. */
export const portText = (p: ServerPort) => `${p.hostIp}:${p.hostPort}/${p.protocol}`;

const cores = (cpu: number) => `${cpu} CPU${cpu === 1 ? '' : 's'}`;

export const memoryText = (mb: number) => (mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GiB` : `${mb} MiB`);

/** "2 GiB memory · 2 CPUs · 512 processes · 10 GiB disk". */
export const limitsText = (l: ServerLimits) => `${memoryText(l.memoryMb)} memory · ${cores(l.cpu)} · ${l.pids} processes · ${memoryText(l.diskMb)} disk`;

export const cpuText = (cpu: number) => cores(cpu);

export const stateLabels: Record<ServerState, string> = {
  running: 'Running',
  starting: 'Starting',
  stopping: 'Stopping',
  stopped: 'Stopped',
  crashed: 'Crashed',
  unknown: 'Unknown',
};
