// Cleanups run last-in first-out (node's t.after hooks run in the order they were added): what was made last goes
// first, so a panel is stopped before the database it uses is dropped.
import type { TestContext } from 'node:test';

export function cleanups(t: TestContext): (fn: () => unknown) => void {
  const stack: Array<() => unknown> = [];
  t.after(async () => {
    while (stack.length > 0) await stack.pop()!();
  });
  return (fn) => {
    stack.push(fn);
  };
}
