// Optional system components in tests (a browser, Docker, ...): skip loudly when one is missing, or fail under AETHER_TEST_REQUIRE_ALL=1.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

/** True when AETHER_TEST_REQUIRE_ALL=1: every component must be present, so a missing one fails the test. */
export function requireAll(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AETHER_TEST_REQUIRE_ALL === '1';
}

/**
 * Checks that a component the test needs is available.
 *
 * - `ok`: returns true and the test goes on.
 * - missing: marks the test skipped with the reason `${name} ${how}` and returns false, so the test must return at once:
 *   `if (!needs(t, 'docker', await dockerUp(), 'daemon not reachable at /var/run/docker.sock: start docker')) return;`
 * - missing under AETHER_TEST_REQUIRE_ALL=1 (CI that must run everything): throws an assertion error, so the test fails.
 *
 * `how` says what is missing and how to get it, read after the name (`chromium` + `not found at ...: install ...`).
 */
export function needs(t: TestContext, name: string, ok: boolean, how: string): boolean {
  if (ok) return true;
  const reason = `${name} ${how}`;
  if (requireAll()) {
    assert.fail(`${reason} (AETHER_TEST_REQUIRE_ALL=1 turns a missing component into a failure)`);
  }
  t.diagnostic(`SKIPPED, missing component: ${reason}`);
  t.skip(reason);
  return false;
}
