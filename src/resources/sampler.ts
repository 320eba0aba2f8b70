// Turns raw host readings into a sample: real filesystems only, rates from counter deltas, values rounded for storage.
import type { Clock } from '../shared/clock.ts';
import type { DiskUsage, ResourceSample } from './sample.ts';
import { systemInfo, type HostReadings, type SystemInfo } from './system-info.ts';

/** Most mounts kept per sample (bounds the history rows and the alert targets on a host with many mounts). */
export const MAX_MOUNTS = 32;

/** Filesystems that are not disks: memory, kernel interfaces, read-only images, container layers. */
const PSEUDO_FS = new Set([
  'tmpfs', 'devtmpfs', 'ramfs', 'overlay', 'squashfs', 'proc', 'sysfs', 'devpts', 'devfs', 'cgroup', 'cgroup2', 'mqueue', 'debugfs',
  'tracefs', 'securityfs', 'pstore', 'bpf', 'autofs', 'fusectl', 'configfs', 'hugetlbfs', 'nsfs', 'efivarfs', 'binfmt_misc',
  'rpc_pipefs', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'iso9660', 'udev', 'rootfs', 'nullfs',
]);

// Container traffic crosses its veth, the bridge and the physical interface: counting those would count it 2-3 times.
const VIRTUAL_IFACE = /^(docker\d*|br-[0-9a-f]+|veth[0-9a-zA-Z]*|virbr\d+)$/;

export type Sampler = { sample(): Promise<ResourceSample> };

const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};
const pct = (part: number, whole: number): number => (whole > 0 ? round(Math.min(100, Math.max(0, (part / whole) * 100)), 2) : 0);

/** The real disks of a host, shortest mount path first, one mount per device, at most MAX_MOUNTS. */
export function diskUsage(filesystems: HostReadings['filesystems']): DiskUsage[] {
  const sorted = [...filesystems].sort((a, b) => a.mount.length - b.mount.length || a.mount.localeCompare(b.mount));
  const devices = new Set<string>();
  const mounts = new Set<string>();
  const out: DiskUsage[] = [];
  for (const f of sorted) {
    if (out.length >= MAX_MOUNTS) break;
    if (!(f.size > 0) || mounts.has(f.mount)) continue;
    // The root stays even as an overlay: a panel running in a container sees its disk only that way.
    if (PSEUDO_FS.has(f.type.toLowerCase()) && f.mount !== '/') continue;
    // Bind mounts of one device repeat its usage.
    if (f.fs.startsWith('/dev/') && devices.has(f.fs)) continue;
    devices.add(f.fs);
    mounts.add(f.mount);
    const usedPct = Number.isFinite(f.use) && f.use > 0 ? round(Math.min(100, f.use), 2) : pct(f.used, f.size);
    out.push({ mount: f.mount, usedPct, usedBytes: Math.round(f.used), sizeBytes: Math.round(f.size) });
  }
  return out;
}

type Counters = { ts: number; disk: { read: number; written: number } | null; net: Map<string, { rx: number; tx: number }> };

/** Bytes per second between two counter values; null when there is no earlier value or the counter went back (reset). */
const rate = (now: number, before: number | undefined, seconds: number): number | null =>
  before === undefined || now < before || seconds <= 0 ? null : Math.round((now - before) / seconds);

export function createSampler(deps: { clock: Clock; source?: SystemInfo }): Sampler {
  const source = deps.source ?? systemInfo;
  let prev: Counters | null = null;

  return {
    async sample(): Promise<ResourceSample> {
      const ts = deps.clock.now();
      const r = await source.read();
      const seconds = prev ? (ts - prev.ts) / 1000 : 0;
      const net = new Map<string, { rx: number; tx: number }>();
      let rx: number | null = null;
      let tx: number | null = null;
      for (const i of r.interfaces) {
        if (i.loopback || VIRTUAL_IFACE.test(i.iface)) continue;
        net.set(i.iface, { rx: i.rxBytes, tx: i.txBytes });
        const before = prev?.net.get(i.iface);
        const dRx = rate(i.rxBytes, before?.rx, seconds);
        const dTx = rate(i.txBytes, before?.tx, seconds);
        if (dRx !== null) rx = (rx ?? 0) + dRx;
        if (dTx !== null) tx = (tx ?? 0) + dTx;
      }
      const sample: ResourceSample = {
        ts,
        cpu: round(Math.min(100, Math.max(0, r.cpuPct)), 2),
        cpuCount: r.cpuCount,
        load1: round(r.load[0], 2),
        load5: round(r.load[1], 2),
        load15: round(r.load[2], 2),
        memUsedPct: pct(r.memTotal - r.memAvailable, r.memTotal),
        memUsedBytes: Math.max(0, Math.round(r.memTotal - r.memAvailable)),
        memTotalBytes: Math.round(r.memTotal),
        swapUsedPct: r.swapTotal > 0 ? pct(r.swapUsed, r.swapTotal) : null,
        disks: diskUsage(r.filesystems),
        diskReadBps: r.diskBytes ? rate(r.diskBytes.read, prev?.disk?.read, seconds) : null,
        diskWriteBps: r.diskBytes ? rate(r.diskBytes.written, prev?.disk?.written, seconds) : null,
        netRxBps: rx,
        netTxBps: tx,
      };
      prev = { ts, disk: r.diskBytes, net };
      return sample;
    },
  };
}
