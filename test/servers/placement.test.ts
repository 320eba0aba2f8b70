// Placement by free capacity: the reachable node with the most free memory that fits the server, CPUs and server count
// only breaking ties, and every node that cannot take it named with its reason.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { capacityOf, engineResources, type NodeCapacity } from '../../src/servers/node-capacity.ts';
import { choosePlacement, type PlacementCandidate } from '../../src/servers/placement.ts';

const cap = (totalMb: number, allocatedMb: number, cpus = 2, allocatedCpus = 0, servers = 0): NodeCapacity =>
  capacityOf({ memoryMb: totalMb, cpus }, { memoryMb: allocatedMb, cpus: allocatedCpus, servers });
const node = (name: string, capacity: NodeCapacity | null, refused: string | null = null): PlacementCandidate => ({ id: `id-${name}`, name, capacity, refused });
const wanted = { memoryMb: 512, cpu: 0.5 };

describe('placement by free capacity', () => {
  const cases: Array<{ name: string; nodes: PlacementCandidate[]; wanted?: { memoryMb: number; cpu: number }; chosen: string | null; refused: Record<string, RegExp> }> = [
    { name: 'the node with more free memory', nodes: [node('a', cap(8192, 6000)), node('b', cap(4096, 1000))], chosen: 'b', refused: {} },
    { name: 'free memory counts, not total memory', nodes: [node('big', cap(65536, 64000)), node('small', cap(4096, 0))], chosen: 'small', refused: {} },
    { name: 'equal free memory: more unallocated CPUs', nodes: [node('a', cap(4096, 0, 2, 1.5)), node('b', cap(4096, 0, 2, 0.5))], chosen: 'b', refused: {} },
    { name: 'equal memory and CPUs: fewer servers', nodes: [node('a', cap(4096, 0, 2, 0, 3)), node('b', cap(4096, 0, 2, 0, 1))], chosen: 'b', refused: {} },
    { name: 'all equal: the name decides, so the choice is stable', nodes: [node('b', cap(4096, 0)), node('a', cap(4096, 0))], chosen: 'a', refused: {} },
    { name: 'an unreachable node is skipped however free', nodes: [node('down', cap(65536, 0), 'its Docker Engine does not answer'), node('up', cap(1024, 0))], chosen: 'up', refused: { down: /does not answer/ } },
    { name: 'a node without a free port is skipped', nodes: [node('full', cap(8192, 0), 'No free port is left in this node\'s range 1-2.'), node('ok', cap(1024, 0))], chosen: 'ok', refused: { full: /No free port/ } },
    { name: 'memory that does not fit is refused with the figures', nodes: [node('tight', cap(1024, 800))], chosen: null, refused: { tight: /needs 512 MiB of memory and 224 MiB are free/ } },
    { name: 'exactly the free memory fits', nodes: [node('exact', cap(1024, 512))], chosen: 'exact', refused: {} },
    { name: 'an overcommitted node shows 0 MiB free in its reason', nodes: [node('over', cap(1024, 2048))], chosen: null, refused: { over: /and 0 MiB are free/ } },
    { name: 'more CPUs than the node has', nodes: [node('two', cap(8192, 0, 2))], wanted: { memoryMb: 64, cpu: 4 }, chosen: null, refused: { two: /asks for 4 CPUs and the node has 2/ } },
    { name: 'CPU limits already handed out do not rule a node out (they are shared in time)', nodes: [node('busy', cap(8192, 0, 2, 6))], chosen: 'busy', refused: {} },
    { name: 'an engine that never told its resources', nodes: [node('mute', null), node('ok', cap(1024, 0))], chosen: 'ok', refused: { mute: /did not tell/ } },
    { name: 'no nodes at all', nodes: [], chosen: null, refused: {} },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const placement = choosePlacement(c.nodes, c.wanted ?? wanted);
      assert.equal(placement.chosen?.name ?? null, c.chosen);
      assert.deepEqual(placement.refused.map((r) => r.name).sort(), Object.keys(c.refused).sort());
      for (const r of placement.refused) assert.match(r.reason, c.refused[r.name]!, r.name);
    });
  }

  test('the reason names the chosen node\'s capacity and the runner-up', () => {
    const { chosen } = choosePlacement([node('a', cap(8192, 6000, 2, 1, 2)), node('b', cap(4096, 1000, 2, 0.5, 1))], wanted);
    assert.equal(chosen?.reason, 'most free capacity: 3096 of 4096 MiB memory free, 1.5 of 2 CPUs unallocated, 1 server (next: a, 2192 of 8192 MiB memory free, 1 of 2 CPUs unallocated, 2 servers)');
    assert.match(choosePlacement([node('only', cap(1024, 0))], wanted).chosen!.reason, /^the only node that fits: 1024 of 1024 MiB/);
  });

  test('capacity from docker info: MiB rounded down, CPU sums without floating-point noise', () => {
    assert.deepEqual(engineResources({ MemTotal: 24_105 * 1024 * 1024 + 12345, NCPU: 2 }), { memoryMb: 24_105, cpus: 2 });
    assert.equal(engineResources({ MemTotal: 0, NCPU: 2 }), null);
    assert.equal(engineResources({}), null);
    assert.equal(engineResources(null), null);
    assert.deepEqual(capacityOf({ memoryMb: 1000, cpus: 2 }, { memoryMb: 300, cpus: 0.1 + 0.2, servers: 2 }), {
      memoryMb: { total: 1000, allocated: 300, free: 700 },
      cpus: { total: 2, allocated: 0.3, free: 1.7 },
      servers: 2,
    });
  });
});
