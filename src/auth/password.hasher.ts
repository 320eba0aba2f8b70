// Hashes and verifies passwords with argon2id, with a bounded number of concurrent operations.

import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../shared/errors.ts';
import { createSemaphore } from '../shared/semaphore.ts';

export interface PasswordHasherOptions {
  /** argon2 memory per operation, in KiB (OWASP minimum for argon2id: 19456 = 19 MiB). */
  memoryCost: number;
  /** argon2 iterations. */
  timeCost: number;
  /** argon2 lanes. */
  parallelism: number;
  /** Hash/verify operations allowed to run at once. */
  maxConcurrent: number;
  /** Operations allowed to wait for a slot; beyond that callers get HasherBusyError at once. */
  maxQueue: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same work as a failed verify, for a user that does not exist; always false. */
  verifyDummy(password: string): Promise<false>;
  needsRehash(hash: string): boolean;
}

/** Every hasher slot and queue place is taken: answered with 429 and Retry-After so the client backs off. */
export class HasherBusyError extends AppError {
  override readonly code = 'hasher_busy';

  constructor() {
    super(429, 'hasher_busy', 'The server is busy. Try again in a moment.', { headers: { 'Retry-After': '1' } });
    this.name = 'HasherBusyError';
  }
}

function validateOptions(opts: PasswordHasherOptions): void {
  for (const [name, min] of [
    ['memoryCost', 1024],
    ['timeCost', 1],
    ['parallelism', 1],
    ['maxConcurrent', 1],
    ['maxQueue', 0],
  ] as const) {
    const v = opts[name];
    if (!Number.isInteger(v) || v < min) throw new RangeError(`password hasher ${name} must be an integer >= ${min}, got ${v}`);
  }
}

export function createPasswordHasher(opts: PasswordHasherOptions): PasswordHasher {
  validateOptions(opts);
  const params = { memoryCost: opts.memoryCost, timeCost: opts.timeCost, parallelism: opts.parallelism };
  // SECURITY: each argon2 operation holds memoryCost KiB for its duration; bounding how many run and wait bounds
  // memory and CPU, so a login flood gets fast 429s instead of taking the process down.
  const semaphore = createSemaphore(opts.maxConcurrent, opts.maxQueue, () => new HasherBusyError());
  let dummyHash: Promise<string> | undefined;

  // SECURITY: passwords are NFKC-normalised before hashing (NIST SP 800-63B), so the same password typed on another
  // keyboard or OS, composed differently, still matches.
  const normalize = (password: string): string => password.normalize('NFKC');

  function hash(password: string): Promise<string> {
    return semaphore.run(() => argon2.hash(normalize(password), { ...params, type: argon2.argon2id }));
  }

  function verify(storedHash: string, password: string): Promise<boolean> {
    return semaphore.run(async () => {
      try {
        return await argon2.verify(storedHash, normalize(password));
      } catch {
        // A malformed or foreign hash string cannot match any password; it is not the caller's error to handle.
        return false;
      }
    });
  }

  function getDummyHash(): Promise<string> {
    // SECURITY: the dummy hash uses the current parameters, so verifying against it costs what a real verify costs
    // and an unknown username cannot be told apart from a wrong password by timing. Made once, on first use.
    dummyHash ??= hash(randomBytes(32).toString('base64url')).catch((err: unknown) => {
      dummyHash = undefined; // e.g. HasherBusyError: try again next time instead of caching the failure
      throw err;
    });
    return dummyHash;
  }

  async function verifyDummy(password: string): Promise<false> {
    await verify(await getDummyHash(), password);
    return false;
  }

  function needsRehash(storedHash: string): boolean {
    // SECURITY: argon2.needsRehash compares only version and cost parameters, so an argon2i/argon2d hash is upgraded too.
    if (!storedHash.startsWith('$argon2id$')) return true;
    try {
      return argon2.needsRehash(storedHash, params);
    } catch {
      return true;
    }
  }

  return { hash, verify, verifyDummy, needsRehash };
}
