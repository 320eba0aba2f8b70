// One reading of the host: what the sampler produces, the history stores and the thresholds evaluate.

/** Usage of one mounted filesystem. */
export type DiskUsage = { mount: string; usedPct: number; usedBytes: number; sizeBytes: number };

export type ResourceSample = {
  /** When the sample was taken (ms since the epoch, on the injected clock). */
  ts: number;
  /** CPU busy over all cores, 0-100. */
  cpu: number;
  /** Logical CPUs, for load per CPU. */
  cpuCount: number;
  load1: number;
  load5: number;
  load15: number;
  /** Used = total - available (page cache the kernel can drop does not count as used). */
  memUsedPct: number;
  memUsedBytes: number;
  memTotalBytes: number;
  /** null: the host has no swap. */
  swapUsedPct: number | null;
  disks: DiskUsage[];
  /** Rates since the previous sample; null on the first sample or where the platform does not report them. */
  diskReadBps: number | null;
  diskWriteBps: number | null;
  netRxBps: number | null;
  netTxBps: number | null;
};

/** The numeric series of a sample kept in the history (disks are kept per mount besides). */
export const SERIES = [
  'cpu',
  'load1',
  'load5',
  'load15',
  'memUsedPct',
  'memUsedBytes',
  'memTotalBytes',
  'swapUsedPct',
  'diskReadBps',
  'diskWriteBps',
  'netRxBps',
  'netTxBps',
] as const;

export type SeriesName = (typeof SERIES)[number];

export const DISK_SERIES = ['usedPct', 'usedBytes', 'sizeBytes'] as const;
export type DiskSeriesName = (typeof DISK_SERIES)[number];
