// The sampler: once against this machine through systeminformation (sane values), and its arithmetic on given readings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSampler, MAX_MOUNTS } from '../../src/resources/sampler.ts';
import type { HostReadings, SystemInfo } from '../../src/resources/system-info.ts';
import { createManualClock, systemClock } from '../../src/shared/clock.ts';
import { S, T0 } from './helpers.ts';

const GB = 1024 ** 3;
const inRange = (v: number, lo: number, hi: number, name: string) => assert.ok(Number.isFinite(v) && v >= lo && v <= hi, `${name} = ${v}`);

describe('sampler', () => {
  test('this machine, through systeminformation: percentages within 0-100, memory, at least one disk, rates after the second sample', async () => {
    const sampler = createSampler({ clock: systemClock });
    await sampler.sample();
    const s = await sampler.sample();
    inRange(s.cpu, 0, 100, 'cpu');
    assert.ok(Number.isInteger(s.cpuCount) && s.cpuCount >= 1);
    for (const l of [s.load1, s.load5, s.load15]) inRange(l, 0, 10_000, 'load');
    assert.ok(s.memTotalBytes > 0);
    inRange(s.memUsedPct, 0, 100, 'memUsedPct');
    inRange(s.memUsedBytes, 1, s.memTotalBytes, 'memUsedBytes');
    if (s.swapUsedPct !== null) inRange(s.swapUsedPct, 0, 100, 'swapUsedPct');
    assert.ok(s.disks.length >= 1, 'at least one disk');
    assert.ok(s.disks.length <= MAX_MOUNTS);
    for (const d of s.disks) {
      inRange(d.usedPct, 0, 100, `disk ${d.mount}`);
      assert.ok(d.sizeBytes > 0 && d.usedBytes >= 0 && d.usedBytes <= d.sizeBytes, d.mount);
    }
    for (const rate of [s.diskReadBps, s.diskWriteBps, s.netRxBps, s.netTxBps]) assert.ok(rate === null || (Number.isFinite(rate) && rate >= 0), `rate ${rate}`);
    assert.ok(Math.abs(s.ts - Date.now()) < 60_000, 'stamped with the clock');
  });

  const fs = (mount: string, type = 'ext4', device = `/dev/${mount.replace(/\W/g, '') || 'root'}`) => ({ fs: device, type, mount, size: 100 * GB, used: 25 * GB, use: 25 });

  function scripted(list: Array<Partial<HostReadings>>): SystemInfo {
    let i = 0;
    return {
      read: async () => ({
        cpuPct: 12.345,
        cpuCount: 8,
        load: [1.234, 2, 3],
        memTotal: 16 * GB,
        memAvailable: 4 * GB,
        swapTotal: 0,
        swapUsed: 0,
        filesystems: [fs('/')],
        diskBytes: { read: 0, written: 0 },
        interfaces: [],
        ...list[Math.min(i++, list.length - 1)],
      }),
    };
  }

  test('rates are byte deltas over the seconds between samples; loopback and Docker bridges are left out; a counter that went back is no rate', async () => {
    const clock = createManualClock(T0);
    const nics = (eth: number, lo: number, docker: number) => [
      { iface: 'eth0', loopback: false, rxBytes: eth, txBytes: eth / 2 },
      { iface: 'lo', loopback: true, rxBytes: lo, txBytes: lo },
      { iface: 'docker0', loopback: false, rxBytes: docker, txBytes: docker },
      { iface: 'veth1a2b3c', loopback: false, rxBytes: docker, txBytes: docker },
    ];
    const sampler = createSampler({
      clock,
      source: scripted([
        { diskBytes: { read: 1000, written: 5000 }, interfaces: nics(10_000, 0, 0) },
        { diskBytes: { read: 21_000, written: 105_000 }, interfaces: nics(30_000, 9e9, 9e9) },
        { diskBytes: { read: 50, written: 50 }, interfaces: nics(100, 9e9, 9e9) },
      ]),
    });
    const first = await sampler.sample();
    assert.deepEqual([first.diskReadBps, first.diskWriteBps, first.netRxBps, first.netTxBps], [null, null, null, null]);
    clock.advance(10 * S);
    const second = await sampler.sample();
    assert.deepEqual([second.diskReadBps, second.diskWriteBps, second.netRxBps, second.netTxBps], [2000, 10_000, 2000, 1000]);
    clock.advance(10 * S);
    const third = await sampler.sample();
    assert.deepEqual([third.diskReadBps, third.netRxBps], [null, null], 'counters reset (reboot, interface re-created)');
  });

  test('memory used is total minus available; no swap is null; values are rounded', async () => {
    const s = await createSampler({ clock: createManualClock(T0), source: scripted([{ swapTotal: 8 * GB, swapUsed: 2 * GB }]) }).sample();
    assert.deepEqual([s.memUsedPct, s.memUsedBytes, s.memTotalBytes, s.swapUsedPct, s.cpu, s.load1, s.cpuCount], [75, 12 * GB, 16 * GB, 25, 12.35, 1.23, 8]);
    const none = await createSampler({ clock: createManualClock(T0), source: scripted([{}]) }).sample();
    assert.equal(none.swapUsedPct, null);
  });

  test('disks: pseudo filesystems and bind mounts of one device left out (the root kept even as an overlay), at most 32 mounts', async () => {
    const s = await createSampler({
      clock: createManualClock(T0),
      source: scripted([
        {
          filesystems: [
            fs('/', 'overlay', 'overlay'),
            fs('/dev', 'devtmpfs', 'udev'),
            fs('/run', 'tmpfs', 'tmpfs'),
            fs('/snap/core/1', 'squashfs', '/dev/loop0'),
            fs('/var/lib/docker/overlay2/abc/merged', 'overlay', 'overlay'),
            fs('/srv', 'xfs', '/dev/sdb1'),
            fs('/etc/hosts', 'xfs', '/dev/sdb1'),
            { fs: '/dev/sdc1', type: 'ext4', mount: '/empty', size: 0, used: 0, use: 0 },
          ],
        },
      ]),
    }).sample();
    assert.deepEqual(s.disks.map((d) => d.mount), ['/', '/srv']);
    assert.deepEqual(s.disks[1], { mount: '/srv', usedPct: 25, usedBytes: 25 * GB, sizeBytes: 100 * GB });

    const many = await createSampler({
      clock: createManualClock(T0),
      source: scripted([{ filesystems: Array.from({ length: 50 }, (_, i) => fs(`/mnt/d${String(i).padStart(2, '0')}`)) }]),
    }).sample();
    assert.equal(many.disks.length, MAX_MOUNTS);
  });
});
