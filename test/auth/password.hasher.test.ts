// Tests for the argon2id password hasher against the real argon2 binding: encoding, verify, dummy verify, rehash, busy limit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import argon2 from 'argon2';
import { createPasswordHasher, HasherBusyError, type PasswordHasherOptions } from '../../src/auth/password.hasher.ts';

const defaults: PasswordHasherOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1, maxConcurrent: 2, maxQueue: 64 };
const fast: PasswordHasherOptions = { ...defaults, memoryCost: 1024, timeCost: 1 };

/** Splits "$argon2id$v=19$m=19456,p=1,t=2$salt$hash" into its parts. */
function parseEncoded(encoded: string): { id: string; version: string; params: Record<string, string> } {
  const [, id = '', version = '', params = ''] = encoded.split('$');
  return { id, version, params: Object.fromEntries(params.split(',').map((kv) => kv.split('=') as [string, string])) };
}

describe('createPasswordHasher', () => {
  const hasher = createPasswordHasher(defaults);

  it('hashes with argon2id and the configured parameters', async () => {
    const encoded = await hasher.hash('Correct-Horse-Battery-9');
    const { id, version, params } = parseEncoded(encoded);
    assert.equal(id, 'argon2id');
    assert.equal(version, 'v=19');
    assert.deepEqual(params, { m: '19456', t: '2', p: '1' });
  });

  it('salts every hash', async () => {
    assert.notEqual(await hasher.hash('same password'), await hasher.hash('same password'));
  });

  describe('verify', async () => {
    const stored = await hasher.hash('Correct-Horse-Battery-9');
    const cases: Array<{ name: string; hash: string; password: string; expected: boolean }> = [
      { name: 'right password', hash: stored, password: 'Correct-Horse-Battery-9', expected: true },
      { name: 'wrong password', hash: stored, password: 'Correct-Horse-Battery-8', expected: false },
      { name: 'different case', hash: stored, password: 'correct-horse-battery-9', expected: false },
      { name: 'empty password', hash: stored, password: '', expected: false },
      { name: 'malformed hash', hash: 'not-a-hash', password: 'x', expected: false },
      { name: 'empty hash', hash: '', password: 'x', expected: false },
      { name: 'truncated hash', hash: stored.slice(0, 30), password: 'Correct-Horse-Battery-9', expected: false },
      { name: 'bcrypt hash', hash: '$2b$10$abcdefghijklmnopqrstuu5QwLrR8nJDk9bF1cWlXqQxqU8o5p6Xe', password: 'x', expected: false },
      { name: 'unknown argon variant', hash: stored.replace('$argon2id$', '$argon2x$'), password: 'Correct-Horse-Battery-9', expected: false },
    ];
    for (const c of cases) {
      it(c.name, async () => assert.equal(await hasher.verify(c.hash, c.password), c.expected));
    }
  });

  it('verifies hashes made with other parameters', async () => {
    const old = await argon2.hash('legacy-pass', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
    assert.equal(await hasher.verify(old, 'legacy-pass'), true);
  });

  describe('verifyDummy', () => {
    it('is false whatever the password', async () => {
      for (const password of ['', 'Correct-Horse-Battery-9', 'anything']) {
        assert.equal(await hasher.verifyDummy(password), false);
      }
    });

    it('costs about as much as a real verify', async () => {
      const h = createPasswordHasher(defaults);
      const stored = await h.hash('real');
      await h.verifyDummy('warm-up'); // the dummy hash is made on first use
      // Interleaved, so load from other processes falls on both sides alike.
      let real = 0;
      let dummy = 0;
      for (let i = 0; i < 6; i += 1) {
        let start = process.hrtime.bigint();
        await h.verify(stored, 'wrong');
        real += Number(process.hrtime.bigint() - start);
        start = process.hrtime.bigint();
        await h.verifyDummy('wrong');
        dummy += Number(process.hrtime.bigint() - start);
      }
      const ratio = dummy / real;
      assert.ok(ratio > 0.5 && ratio < 2, `dummy/real time ratio ${ratio.toFixed(2)}`);
    });

    it('retries making the dummy hash after being refused', async () => {
      const h = createPasswordHasher({ ...fast, maxConcurrent: 1, maxQueue: 0 });
      const inFlight = h.hash('holds the only slot');
      await assert.rejects(h.verifyDummy('x'), HasherBusyError);
      await inFlight;
      assert.equal(await h.verifyDummy('x'), false);
    });
  });

  describe('needsRehash', async () => {
    const current = await hasher.hash('pw');
    const weaker = await createPasswordHasher(fast).hash('pw');
    const argon2i = await argon2.hash('pw', { type: argon2.argon2i, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const cases = [
      { name: 'current parameters', hash: current, expected: false },
      { name: 'weaker parameters', hash: weaker, expected: true },
      { name: 'argon2i with current parameters', hash: argon2i, expected: true },
      { name: 'malformed hash', hash: '$argon2id$garbage', expected: true },
      { name: 'not argon2', hash: 'plaintext', expected: true },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(hasher.needsRehash(c.hash), c.expected));
    }
  });

  describe('concurrency limit', () => {
    it('refuses callers beyond maxConcurrent + maxQueue at once with HasherBusyError', async () => {
      const h = createPasswordHasher({ ...fast, maxConcurrent: 1, maxQueue: 1 });
      const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => h.hash(`pw-${i}`)));
      const refused = settled.filter((s) => s.status === 'rejected');
      const hashed = settled.filter((s): s is PromiseFulfilledResult<string> => s.status === 'fulfilled');
      // One runs, one waits, three are refused: admission is decided synchronously, so the split is exact.
      assert.equal(refused.length, 3);
      assert.equal(hashed.length, 2);
      for (const r of refused) assert.ok(r.reason instanceof HasherBusyError);
      for (const ok of hashed) assert.equal(parseEncoded(ok.value).id, 'argon2id');
    });

    it('throws HasherBusyError from verify instead of answering false', async () => {
      const h = createPasswordHasher({ ...fast, maxConcurrent: 1, maxQueue: 0 });
      const stored = await h.hash('pw');
      const inFlight = h.verify(stored, 'pw');
      await assert.rejects(h.verify(stored, 'pw'), HasherBusyError);
      assert.equal(await inFlight, true);
    });
  });

  describe('HasherBusyError', () => {
    const err = new HasherBusyError();
    const cases: Array<{ name: string; actual: unknown; expected: unknown }> = [
      { name: 'is an Error', actual: err instanceof Error, expected: true },
      { name: 'code', actual: err.code, expected: 'hasher_busy' },
      { name: 'status', actual: err.status, expected: 429 },
      { name: 'name', actual: err.name, expected: 'HasherBusyError' },
      { name: 'Retry-After header', actual: err.headers?.['Retry-After'], expected: '1' },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(c.actual, c.expected));
    }
  });

  const invalid: Array<{ name: string; opts: Partial<PasswordHasherOptions>; message: RegExp }> = [
    { name: 'memoryCost below 1024', opts: { memoryCost: 512 }, message: /memoryCost must be an integer >= 1024/ },
    { name: 'timeCost 0', opts: { timeCost: 0 }, message: /timeCost must be an integer >= 1/ },
    { name: 'maxConcurrent 0', opts: { maxConcurrent: 0 }, message: /maxConcurrent must be an integer >= 1/ },
    { name: 'negative maxQueue', opts: { maxQueue: -1 }, message: /maxQueue must be an integer >= 0/ },
  ];
  for (const c of invalid) {
    it(`throws at creation on ${c.name}`, () => assert.throws(() => createPasswordHasher({ ...defaults, ...c.opts }), c.message));
  }

  it('a password composed differently (NFC vs NFD) still verifies', async () => {
    const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1, maxConcurrent: 2, maxQueue: 8 });
    const composed = 'Caf\u00e9-Cr\u00e8me-Br\u00fbl\u00e9e-42';
    const decomposed = composed.normalize('NFD');
    assert.notEqual(composed, decomposed);
    const stored = await hasher.hash(composed);
    assert.equal(await hasher.verify(stored, decomposed), true);
    assert.equal(await hasher.verify(stored, 'Cafe-Creme-Brulee-42'), false);
  });
});
