// Five-minute aggregates of raw samples: the average and the maximum of every series, and of each disk by mount.
import { MAX_MOUNTS } from './sampler.ts';
import { DISK_SERIES, SERIES, type DiskSeriesName, type ResourceSample, type SeriesName } from './sample.ts';

export type Values = Record<SeriesName, number | null>;
export type DiskValues = Record<DiskSeriesName, number>;
export type Aggregate = { n: number; avg: Values; max: Values; disks: Array<{ mount: string; avg: DiskValues; max: DiskValues }> };

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Average and maximum of each named series over the samples (a series missing from every sample stays null). */
export function seriesStats<N extends string>(samples: ReadonlyArray<Partial<Record<N, number | null>>>, names: readonly N[]): { avg: Record<N, number | null>; max: Record<N, number | null> } {
  const avg = {} as Record<N, number | null>;
  const max = {} as Record<N, number | null>;
  for (const name of names) {
    let sum = 0;
    let n = 0;
    let top: number | null = null;
    for (const s of samples) {
      const v = s[name];
      if (v === null || v === undefined) continue;
      sum += v;
      n += 1;
      if (top === null || v > top) top = v;
    }
    avg[name] = n ? round2(sum / n) : null;
    max[name] = top;
  }
  return { avg, max };
}

/** Average and maximum of each series over the samples, and of each disk by mount. */
export function aggregate(samples: ReadonlyArray<Omit<ResourceSample, 'ts'>>): Aggregate {
  const { avg, max } = seriesStats<SeriesName>(samples, SERIES);
  const byMount = new Map<string, Array<Record<DiskSeriesName, number>>>();
  for (const s of samples) {
    for (const d of s.disks) {
      const list = byMount.get(d.mount);
      if (list) list.push(d);
      else if (byMount.size < MAX_MOUNTS) byMount.set(d.mount, [d]);
    }
  }
  const disks = [...byMount].map(([mount, list]) => {
    const a = {} as DiskValues;
    const m = {} as DiskValues;
    for (const name of DISK_SERIES) {
      a[name] = round2(list.reduce((sum, d) => sum + d[name], 0) / list.length);
      m[name] = Math.max(...list.map((d) => d[name]));
    }
    return { mount, avg: a, max: m };
  });
  return { n: samples.length, avg, max, disks };
}
