// Tests for needs(): a missing component skips the test with its reason, or fails it under AETHER_TEST_REQUIRE_ALL=1.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, type TestContext } from 'node:test';
import { needs, requireAll } from './require-component.ts';

const REASON = 'chromium not found at /usr/bin/chromium: install Debian package chromium';

/** A stand-in for the test context that records what needs() asks of it. */
function fakeContext() {
  const skipped: string[] = [];
  const notes: string[] = [];
  const t = {
    skip: (message?: string) => skipped.push(message ?? ''),
    diagnostic: (message: string) => notes.push(message),
  } as unknown as TestContext;
  return { t, skipped, notes };
}

describe('needs', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.AETHER_TEST_REQUIRE_ALL;
    delete process.env.AETHER_TEST_REQUIRE_ALL;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.AETHER_TEST_REQUIRE_ALL;
    else process.env.AETHER_TEST_REQUIRE_ALL = saved;
  });

  it('lets the test go on when the component is there, also under AETHER_TEST_REQUIRE_ALL=1', () => {
    for (const value of [undefined, '1']) {
      if (value) process.env.AETHER_TEST_REQUIRE_ALL = value;
      const { t, skipped } = fakeContext();
      assert.equal(needs(t, 'chromium', true, 'not found at /usr/bin/chromium: install Debian package chromium'), true);
      assert.deepEqual(skipped, []);
    }
  });

  it('skips with the name and the fix when the component is missing', () => {
    const { t, skipped, notes } = fakeContext();
    assert.equal(needs(t, 'chromium', false, 'not found at /usr/bin/chromium: install Debian package chromium'), false);
    assert.deepEqual(skipped, [REASON]);
    assert.ok(notes.some((n) => n.includes(REASON)), 'the skip is also reported as a diagnostic');
  });

  it('fails instead of skipping under AETHER_TEST_REQUIRE_ALL=1', () => {
    process.env.AETHER_TEST_REQUIRE_ALL = '1';
    const { t, skipped } = fakeContext();
    assert.throws(
      () => needs(t, 'chromium', false, 'not found at /usr/bin/chromium: install Debian package chromium'),
      (err: unknown) => err instanceof assert.AssertionError && err.message.includes(REASON) && err.message.includes('AETHER_TEST_REQUIRE_ALL=1'),
    );
    assert.deepEqual(skipped, []);
  });

  it('treats only the value 1 as "require all"', () => {
    assert.equal(requireAll({ AETHER_TEST_REQUIRE_ALL: '1' }), true);
    for (const value of [undefined, '', '0', 'true', 'yes']) assert.equal(requireAll({ AETHER_TEST_REQUIRE_ALL: value }), false, String(value));
  });
});
