// Encryption of secrets the panel must read back (TOTP keys): AES-256-GCM under a key kept outside the database.
import { createCipheriv, createDecipheriv, hash, randomBytes } from 'node:crypto';

/** The stored form: version, key id, nonce and ciphertext+tag, so a row names the key it needs. */
const VERSION = 'v1';

export class SecretBoxError extends Error {
  constructor(
    message: string,
    readonly reason: 'wrong_key' | 'corrupt',
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export type SecretBox = {
  /** Short public fingerprint of the key (first 8 hex digits of its SHA-256); stored with every sealed value. */
  keyId: string;
  /** Encrypts text bound to `context` (the owning row), so a sealed value copied to another row does not open. */
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
  /** Whether a sealed value was made with this box's key. */
  owns(sealed: string): boolean;
};

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
  const keyId = hash('sha256', key, 'hex').slice(0, 8);
  const aad = (context: string) => Buffer.from(`aether:${context}`, 'utf8');

  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return [VERSION, keyId, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [version, id, ivText, bodyText] = sealed.split('.');
      if (version !== VERSION || !id || !ivText || !bodyText) throw new SecretBoxError('not a sealed value', 'corrupt');
      if (id !== keyId) throw new SecretBoxError(`sealed with key ${id}, but the loaded key is ${keyId}`, 'wrong_key');
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== 12 || body.length < 16) throw new SecretBoxError('not a sealed value', 'corrupt');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(aad(context));
        decipher.setAuthTag(body.subarray(body.length - 16));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('the sealed value was altered or belongs to another record', 'corrupt');
      }
    },
    owns: (sealed) => sealed.split('.')[1] === keyId,
  };
}
