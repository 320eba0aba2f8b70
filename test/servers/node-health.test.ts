// Node health with a stand-in engine and a clock moved by hand: the answer kept, an engine that does not answer within
// the timeout, checks under way shared, the fail-fast rule for calls, and a change told once (never the first answer).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Docker } from '../../src/servers/docker.ts';
import { createNodeHealth, type NodeHealth } from '../../src/servers/node-health.ts';
import { createManualClock } from '../../src/shared/clock.ts';

type Engine = 'up' | 'refused' | 'silent';

/** A stand-in engine whose info() answers, refuses, or never answers (until its request is aborted). */
function engine(state: { now: Engine; asked: number }): () => Docker {
  const info = (opts: { abortSignal: AbortSignal }) => {
    state.asked += 1;
    if (state.now === 'up') return Promise.resolve({ ServerVersion: '20.10.24', MemTotal: 4096 * 1024 * 1024, NCPU: 4 });
    if (state.now === 'refused') return Promise.reject(Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' }));
    // A real request keeps the process alive while it waits (the timeout's own timer does not).
    const pending = setInterval(() => undefined, 1000);
    return new Promise((_, reject) =>
      opts.abortSignal.addEventListener('abort', () => {
        clearInterval(pending);
        reject(opts.abortSignal.reason);
      }),
    );
  };
  return () => ({ info }) as unknown as Docker;
}

describe('node health', () => {
  test('an answer is kept with the engine\'s resources; a refusal keeps the resources last told', async () => {
    const clock = createManualClock();
    const health = createNodeHealth({ clock });
    const state = { now: 'up' as Engine, asked: 0 };
    const h = await health.check('n', engine(state));
    assert.equal(h.reachable, true);
    assert.equal(h.version, '20.10.24');
    assert.deepEqual(health.resources('n'), { memoryMb: 4096, cpus: 4 });
    state.now = 'refused';
    const down = await health.check('n', engine(state));
    assert.equal(down.reachable, false);
    assert.match(down.error ?? '', /ECONNREFUSED/);
    assert.deepEqual(health.resources('n'), { memoryMb: 4096, cpus: 4 });
  });

  test('an engine that does not answer within the timeout is unreachable; checks under way are shared', async () => {
    const health = createNodeHealth({ clock: createManualClock(), timeoutMs: 50 });
    const state = { now: 'silent' as Engine, asked: 0 };
    const [a, b] = await Promise.all([health.check('n', engine(state)), health.check('n', engine(state))]);
    assert.equal(state.asked, 1, 'one request for both');
    assert.equal(a, b);
    assert.deepEqual({ reachable: a.reachable, error: a.error }, { reachable: false, error: 'no answer within 0.05 s' });
  });

  test('calls fail at once for a while after a failed check, then check again first', async () => {
    const clock = createManualClock();
    const health = createNodeHealth({ clock, failFastMs: 5_000 });
    const state = { now: 'up' as Engine, asked: 0 };
    assert.equal(health.before('n'), 'go', 'never checked: the call goes ahead');
    await health.check('n', engine(state));
    assert.equal(health.before('n'), 'go');
    state.now = 'refused';
    await health.check('n', engine(state));
    assert.equal(health.before('n'), 'fail');
    clock.advance(4_999);
    assert.equal(health.before('n'), 'fail');
    clock.advance(1);
    assert.equal(health.before('n'), 'check');
  });

  test('a change between answering and not is told once; the first answer is not a change', async () => {
    const health = createNodeHealth({ clock: createManualClock() });
    const told: Array<[string, boolean, boolean]> = [];
    const off = health.onChange((id, now: NodeHealth, before: NodeHealth) => told.push([id, before.reachable, now.reachable]));
    const state = { now: 'refused' as Engine, asked: 0 };
    const steps: Engine[] = ['refused', 'refused', 'up', 'up', 'refused', 'up'];
    for (const step of steps) {
      state.now = step;
      await health.check('n', engine(state));
    }
    assert.deepEqual(told, [
      ['n', false, true],
      ['n', true, false],
      ['n', false, true],
    ]);
    off();
    state.now = 'refused';
    await health.check('n', engine(state));
    assert.equal(told.length, 3);
  });
});
