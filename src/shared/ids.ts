// Identifiers and secret tokens: random ids for rows, 256-bit tokens for secrets, and their one-way digests.
import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const newId = (): string => randomUUID();

/** A 256-bit random secret, base64url encoded. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** SHA-256 of a secret: what is stored in place of session ids and one-time tokens. */
export const digest = (secret: string): string => hash('sha256', secret, 'hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
