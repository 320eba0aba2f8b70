// The host's raw figures from systeminformation and node:os: the one module that imports systeminformation.
import os from 'node:os';
import si from 'systeminformation';

/** What one look at the host returns; counters are cumulative (since boot), sampler.ts turns them into rates. */
export type HostReadings = {
  /** CPU busy over all cores since the previous reading, 0-100. */
  cpuPct: number;
  cpuCount: number;
  load: [number, number, number];
  memTotal: number;
  memAvailable: number;
  swapTotal: number;
  swapUsed: number;
  filesystems: Array<{ fs: string; type: string; mount: string; size: number; used: number; use: number }>;
  /** Bytes read and written over all block devices; null where the platform does not report them. */
  diskBytes: { read: number; written: number } | null;
  interfaces: Array<{ iface: string; loopback: boolean; rxBytes: number; txBytes: number }>;
};

/** The seam the sampler reads the host through (tests of the sampler's arithmetic pass their own). */
export type SystemInfo = { read(): Promise<HostReadings> };

const finite = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/** Names of the interfaces whose every address is internal (lo, lo0). */
function loopbackNames(): Set<string> {
  const out = new Set<string>();
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) if (addrs?.length && addrs.every((a) => a.internal)) out.add(name);
  return out;
}

/** How long a sample waits for the filesystem list before it uses the previous one. */
const FS_WAIT_MS = 5000;
let fsPending: Promise<void> | null = null;
let fsLast: HostReadings['filesystems'] = [];

/**
 * The mounted filesystems. systeminformation runs df, which hangs on a stale network mount: one call at a time, and a
 * sample that cannot wait for it uses the last answer (a hung df must neither stop sampling nor pile up processes).
 */
function filesystems(): Promise<HostReadings['filesystems']> {
  fsPending ??= si
    .fsSize()
    .then((list) => {
      fsLast = list.map((f) => ({ fs: String(f.fs), type: String(f.type ?? ''), mount: String(f.mount), size: finite(f.size), used: finite(f.used), use: finite(f.use) }));
    })
    .catch(() => {})
    .finally(() => {
      fsPending = null;
    });
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FS_WAIT_MS);
    timer.unref();
  });
  return Promise.race([fsPending, wait]).then(() => {
    clearTimeout(timer);
    return fsLast;
  });
}

async function read(): Promise<HostReadings> {
  // CPU and memory must be there; the rest degrades to "not reported" rather than losing the whole sample.
  const [load, mem, fs, io, net] = await Promise.all([
    si.currentLoad(),
    si.mem(),
    filesystems(),
    si.fsStats().catch(() => null),
    si.networkStats('*').catch(() => []),
  ]);
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  const loopback = loopbackNames();
  return {
    cpuPct: finite(load.currentLoad),
    cpuCount: Math.max(1, os.availableParallelism()),
    load: [l1, l5, l15],
    memTotal: finite(mem.total),
    memAvailable: finite(mem.available),
    swapTotal: finite(mem.swaptotal),
    swapUsed: finite(mem.swapused),
    filesystems: fs,
    diskBytes: io && Number.isFinite(io.rx) && Number.isFinite(io.wx) ? { read: io.rx, written: io.wx } : null,
    interfaces: net.map((n) => ({ iface: n.iface, loopback: loopback.has(n.iface) || /^lo\d*$/.test(n.iface), rxBytes: finite(n.rx_bytes), txBytes: finite(n.tx_bytes) })),
  };
}

export const systemInfo: SystemInfo = { read };
