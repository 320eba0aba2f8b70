// A random secret made in the browser (Web Crypto), for signing keys the user hands to a receiver.

/** `bytes` random bytes as lowercase hex (32 bytes: 64 characters, 256 bits). */
export function randomSecret(bytes = 32): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}
