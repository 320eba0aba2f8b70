// Tests for the bounded semaphore: concurrency cap, FIFO hand-over, queue limit, release on failure.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSemaphore } from '../../src/shared/semaphore.ts';

/** A promise with its resolve exposed, to hold a task open until the test lets it finish. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

class FullError extends Error {}

describe('createSemaphore', () => {
  it('never runs more than max tasks at once', async () => {
    const sem = createSemaphore(2, 10);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 8 }, () => sem.run(task)));
    assert.equal(peak, 2);
    assert.equal(sem.active, 0);
    assert.equal(sem.waiting, 0);
  });

  it('starts waiters in arrival order', async () => {
    const sem = createSemaphore(1, 10);
    const g = gate();
    const order: number[] = [];
    const first = sem.run(async () => {
      await g.promise;
      order.push(0);
    });
    const rest = [1, 2, 3].map((n) => sem.run(async () => void order.push(n)));
    assert.equal(sem.waiting, 3);
    g.open();
    await Promise.all([first, ...rest]);
    assert.deepEqual(order, [0, 1, 2, 3]);
  });

  it('returns the task result and passes its error through', async () => {
    const sem = createSemaphore(1, 0);
    assert.equal(await sem.run(async () => 42), 42);
    await assert.rejects(sem.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(sem.active, 0);
  });

  it('frees the slot when a task throws synchronously', async () => {
    const sem = createSemaphore(1, 0);
    await assert.rejects(
      sem.run(() => {
        throw new Error('sync');
      }),
      /sync/,
    );
    assert.equal(await sem.run(async () => 'next'), 'next');
  });

  const fullCases = [
    { name: 'max 1, queue 0: one runs, rest refused', max: 1, maxQueue: 0, fired: 4, refused: 3 },
    { name: 'max 1, queue 1: two accepted', max: 1, maxQueue: 1, fired: 5, refused: 3 },
    { name: 'max 2, queue 3: five accepted', max: 2, maxQueue: 3, fired: 9, refused: 4 },
    { name: 'nothing refused under the limit', max: 2, maxQueue: 2, fired: 4, refused: 0 },
  ];
  for (const c of fullCases) {
    it(`queue limit: ${c.name}`, async () => {
      const sem = createSemaphore(c.max, c.maxQueue, () => new FullError('full'));
      const g = gate();
      const results = Array.from({ length: c.fired }, () => sem.run(() => g.promise));
      const states = results.map(() => 'pending');
      results.forEach((p, i) => {
        p.then(
          () => (states[i] = 'done'),
          (e: unknown) => (states[i] = e instanceof FullError ? 'refused' : 'other'),
        );
      });
      // Refusals happen at once, while every accepted task is still held open.
      await new Promise((r) => setImmediate(r));
      assert.equal(states.filter((s) => s === 'refused').length, c.refused);
      assert.equal(states.filter((s) => s === 'pending').length, c.fired - c.refused);
      g.open();
      const settled = await Promise.allSettled(results);
      assert.equal(settled.filter((s) => s.status === 'fulfilled').length, c.fired - c.refused);
      assert.equal(sem.active, 0);
    });
  }

  it('uses a default error when no factory is given', async () => {
    const sem = createSemaphore(1, 0);
    const g = gate();
    const running = sem.run(() => g.promise);
    await assert.rejects(sem.run(async () => 1), /semaphore queue is full/);
    g.open();
    await running;
  });

  const invalid = [
    { name: 'max 0', max: 0, maxQueue: 1, message: /max must be an integer >= 1/ },
    { name: 'fractional max', max: 1.5, maxQueue: 1, message: /max must be an integer >= 1/ },
    { name: 'negative queue', max: 1, maxQueue: -1, message: /maxQueue must be an integer >= 0/ },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name}`, () => assert.throws(() => createSemaphore(c.max, c.maxQueue), c.message));
  }
});
