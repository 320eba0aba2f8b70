// A server's resource use: CPU %, memory and network from Docker's stats, and the size of its data directory (walked
// on disk, cached for a while, bounded).
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Docker } from './docker.ts';

export type ServerStats = {
  ts: string;
  running: boolean;
  cpuPct: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  diskBytes: number;
  diskLimitBytes: number;
};

type DockerStats = {
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
};

/** CPU % as `docker stats` computes it: the container's share of the host's CPU time since the previous sample, times the CPUs. */
export function cpuPercent(s: DockerStats): number {
  const cpu = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const system = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats?.online_cpus ?? s.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
  return cpu > 0 && system > 0 ? Math.round((cpu / system) * cpus * 1000) / 10 : 0;
}

/** Memory in use as `docker stats` shows it: usage minus the page cache the kernel can take back. */
export function memoryUsed(s: DockerStats): number {
  const usage = s.memory_stats?.usage ?? 0;
  const st = s.memory_stats?.stats ?? {};
  const cache = st.inactive_file ?? st.total_inactive_file ?? st.cache ?? 0;
  return Math.max(0, usage - cache);
}

/** Bytes received and sent since the container started, over all its networks. */
function traffic(s: DockerStats): { netRxBytes: number; netTxBytes: number } {
  let netRxBytes = 0;
  let netTxBytes = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRxBytes += n.rx_bytes ?? 0;
    netTxBytes += n.tx_bytes ?? 0;
  }
  return { netRxBytes, netTxBytes };
}

const DIR_CACHE_MS = 30_000;
const MAX_ENTRIES = 200_000;
const dirSizes = new Map<string, { at: number; bytes: number }>();

/**
 * Bytes under a directory, symlinks not followed, at most MAX_ENTRIES entries (then the count so far). A size measured
 * less than maxAgeMs ago is answered again (0: measure now).
 */
export async function directorySize(dir: string, now = Date.now(), maxAgeMs = DIR_CACHE_MS): Promise<number> {
  const hit = dirSizes.get(dir);
  if (hit && now - hit.at < maxAgeMs) return hit.bytes;
  let bytes = 0;
  let entries = 0;
  const stack = [dir];
  while (stack.length && entries < MAX_ENTRIES) {
    const d = stack.pop()!;
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      continue;
    }
    for (const name of names) {
      entries += 1;
      const p = join(d, name);
      try {
        // SECURITY: lstat, never stat: a symlink the container planted is not followed out of its directory.
        const st = await lstat(p);
        if (st.isDirectory()) stack.push(p);
        else bytes += st.size;
      } catch {
        // Gone while walking.
      }
    }
  }
  dirSizes.set(dir, { at: now, bytes });
  return bytes;
}

export async function serverStats(docker: Docker, containerId: string | null, dataDir: string, limits: { memoryMb: number; diskMb: number }): Promise<ServerStats> {
  const base = { ts: new Date().toISOString(), memoryLimitBytes: limits.memoryMb * 1024 * 1024, diskLimitBytes: limits.diskMb * 1024 * 1024, diskBytes: await directorySize(dataDir) };
  const info = containerId ? await docker.getContainer(containerId).inspect() : null;
  if (!info?.State.Running) return { ...base, running: false, cpuPct: 0, memoryBytes: 0, netRxBytes: 0, netTxBytes: 0 };
  const s = (await docker.getContainer(containerId!).stats({ stream: false })) as unknown as DockerStats;
  return { ...base, running: true, cpuPct: cpuPercent(s), memoryBytes: memoryUsed(s), ...traffic(s) };
}

/**
 * A server's counters read at once, for its history: Docker's one-shot stats (no second read a second later, as
 * `docker stats` makes), so the sampler turns CPU time and traffic into rates against its own previous reading.
 */
export type ServerReadings = {
  /** Container CPU time and host CPU time, nanoseconds; CPU % is their ratio between two readings, times onlineCpus. */
  cpuNs: number;
  systemCpuNs: number;
  onlineCpus: number;
  /** The server's CPU limit, in cores. */
  cpuLimit: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  diskBytes: number;
  diskLimitBytes: number;
};

/** null: the container is not running (Docker answers a stopped container's stats with zeros). */
export async function serverReadings(docker: Docker, containerId: string, dataDir: string, limits: { memoryMb: number; diskMb: number; cpu: number }): Promise<ServerReadings | null> {
  const s = (await docker.getContainer(containerId).stats({ stream: false, 'one-shot': true })) as unknown as DockerStats;
  const systemCpuNs = s.cpu_stats?.system_cpu_usage ?? 0;
  if (!systemCpuNs) return null;
  return {
    cpuNs: s.cpu_stats?.cpu_usage?.total_usage ?? 0,
    systemCpuNs,
    onlineCpus: s.cpu_stats?.online_cpus ?? s.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1,
    cpuLimit: limits.cpu,
    memoryBytes: memoryUsed(s),
    memoryLimitBytes: limits.memoryMb * 1024 * 1024,
    ...traffic(s),
    diskBytes: await directorySize(dataDir),
    diskLimitBytes: limits.diskMb * 1024 * 1024,
  };
}
