// Tests the log scrubber: secrets are censored by key name at any depth, and clean objects are passed through uncopied.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scrub } from '../../src/shared/logger.ts';

describe('scrub', () => {
  const cases: Array<{ name: string; input: unknown; expected: unknown }> = [
    { name: 'flat password', input: { user: 'a', password: 'x' }, expected: { user: 'a', password: '[redacted]' } },
    { name: 'nested body', input: { body: { currentPassword: 'x', newPassword: 'y' } }, expected: { body: { currentPassword: '[redacted]', newPassword: '[redacted]' } } },
    { name: 'headers, any case', input: { headers: { Authorization: 'Bearer t', Cookie: 'c', 'X-CSRF-Token': 'k' } }, expected: { headers: { Authorization: '[redacted]', Cookie: '[redacted]', 'X-CSRF-Token': '[redacted]' } } },
    { name: 'inside arrays', input: { items: [{ token: 't' }, { ok: 1 }] }, expected: { items: [{ token: '[redacted]' }, { ok: 1 }] } },
    { name: 'secret object as a whole', input: { secret: { a: 1 } }, expected: { secret: '[redacted]' } },
    { name: 'primitives', input: 'password', expected: 'password' },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(scrub(c.input), c.expected));
  }

  test('does not modify the caller\'s object', () => {
    const input = { body: { password: 'x' } };
    scrub(input);
    assert.equal(input.body.password, 'x');
  });

  test('returns a clean object itself, without copying', () => {
    const input = { method: 'GET', path: '/x', nested: { a: [1, 2] } };
    assert.equal(scrub(input), input);
  });
});
