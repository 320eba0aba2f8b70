// A counting semaphore with a bounded wait queue: at most `max` tasks run at once, at most `maxQueue` wait, the rest are refused at once.

export interface Semaphore {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
}

export function createSemaphore(
  max: number,
  maxQueue: number,
  onFull: () => Error = () => new Error('semaphore queue is full'),
): Semaphore {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`semaphore max must be an integer >= 1, got ${max}`);
  if (!Number.isInteger(maxQueue) || maxQueue < 0) {
    throw new RangeError(`semaphore maxQueue must be an integer >= 0, got ${maxQueue}`);
  }

  let active = 0;
  const queue: Array<() => void> = [];

  function release(): void {
    const next = queue.shift();
    // A finishing task hands its slot straight to the next waiter, so `active` stays counted and no newcomer can jump the queue.
    if (next) next();
    else active -= 1;
  }

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active < max) {
      active += 1;
    } else {
      // SECURITY: refuse rather than queue without bound, so a flood of callers cannot pile up work and memory.
      if (queue.length >= maxQueue) throw onFull();
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    try {
      return await fn();
    } finally {
      release();
    }
  }

  return {
    run,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
