// OpenSSH public keys as people paste them ("ssh-ed25519 AAAA… comment"): parsed from their wire blob, checked for an
// accepted type and strength, and fingerprinted as `ssh-keygen -l` prints.
import { createHash } from 'node:crypto';

export type PublicKeyType = 'ssh-ed25519' | 'ecdsa-sha2-nistp256' | 'ecdsa-sha2-nistp384' | 'ecdsa-sha2-nistp521' | 'ssh-rsa';
export type ParsedPublicKey = { type: PublicKeyType; blob: Buffer; fingerprint: string; bits: number; comment: string };

/** RSA keys shorter than this are refused (NIST SP 800-57: 3072 bits for use beyond 2030). */
export const MIN_RSA_BITS = 3072;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A key type's name: what starts a key line (after a known_hosts line's host names). */
const TYPE_NAME = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)$/;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const ECDSA_BITS: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** A public key's fingerprint as OpenSSH prints it (`ssh-keygen -l`): "SHA256:" and the unpadded base64 of its SHA-256. */
export const sshFingerprint = (keyBlob: Buffer): string => `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;

/** The length-prefixed strings of an SSH wire blob; null when it is not one. */
function wireStrings(blob: Buffer, count: number): Buffer[] | null {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    if (at + 4 > blob.length) return null;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return null;
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return at === blob.length ? out : null;
}

/** Bits of an SSH mpint (a positive big-endian integer, maybe with a leading zero byte). */
function mpintBits(n: Buffer): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i += 1;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

export class PublicKeyError extends Error {}

/**
 * A public key line (as in authorized_keys or a .pub file): ed25519, ECDSA (P-256, P-384, P-521) or RSA of at least
 * 3072 bits. Throws PublicKeyError saying what is wrong.
 */
export function parsePublicKey(input: string): ParsedPublicKey {
  const text = input.trim();
  if (text.includes('\n')) throw new PublicKeyError('Give one key, on one line.');
  const words = text.split(/\s+/);
  // A known_hosts line starts with host names; an authorized_keys line may start with options: the type comes after.
  const at = words.findIndex((w) => TYPE_NAME.test(w));
  if (at < 0 || at > 1 || !BASE64.test(words[at + 1] ?? '')) throw new PublicKeyError('Not an OpenSSH public key line ("ssh-ed25519 AAAA… comment").');
  const declared = words[at]!;
  const blob = Buffer.from(words[at + 1]!, 'base64');
  const comment = words.slice(at + 2).join(' ').slice(0, 200);
  const type = wireStrings(blob.subarray(0, 4 + (blob.length >= 4 ? blob.readUInt32BE(0) : 0)), 1)?.[0]?.toString('latin1');
  if (type !== declared) throw new PublicKeyError('The key\'s type and its data do not match.');
  switch (type) {
    case 'ssh-ed25519': {
      const parts = wireStrings(blob, 2);
      if (!parts || parts[1]!.length !== 32) throw new PublicKeyError('A malformed ed25519 key.');
      return { type, blob, fingerprint: sshFingerprint(blob), bits: 256, comment };
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521': {
      const parts = wireStrings(blob, 3);
      const curve = parts?.[1]?.toString('latin1');
      if (!parts || curve !== type.slice('ecdsa-sha2-'.length) || parts[2]![0] !== 0x04) throw new PublicKeyError('A malformed ECDSA key.');
      return { type, blob, fingerprint: sshFingerprint(blob), bits: ECDSA_BITS[curve]!, comment };
    }
    case 'ssh-rsa': {
      const parts = wireStrings(blob, 3);
      if (!parts) throw new PublicKeyError('A malformed RSA key.');
      const bits = mpintBits(parts[2]!);
      if (bits < MIN_RSA_BITS) throw new PublicKeyError(`This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are needed (or use ed25519).`);
      return { type, blob, fingerprint: sshFingerprint(blob), bits, comment };
    }
    case 'ssh-dss':
      throw new PublicKeyError('DSA keys are not accepted; use ed25519, ECDSA or RSA of at least 3072 bits.');
    default:
      throw new PublicKeyError(`Keys of type ${String(type).slice(0, 40)} are not accepted; use ed25519, ECDSA or RSA of at least ${MIN_RSA_BITS} bits.`);
  }
}

/**
 * A host key as an admin gives it: its fingerprint ("SHA256:…", as `ssh-keygen -lf` prints), or the key itself (a line
 * of known_hosts or of the host's *.pub file). null: neither.
 */
export function hostKeyFingerprint(input: string): string | null {
  const text = input.trim();
  if (FINGERPRINT.test(text)) return text;
  try {
    return parsePublicKey(text).fingerprint;
  } catch {
    return null;
  }
}
