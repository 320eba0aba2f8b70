// Secret keys kept as files in the data directory (never in the database), created with owner-only permissions.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The text of <dir>/<file>, created by `make` on first use; the file is (made) readable by its owner only. */
export function loadOrCreateSecretFile(dir: string, file: string, make: () => string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, file);
  try {
    const text = readFileSync(path, 'utf8');
    // SECURITY: tighten a key file that was copied in with loose permissions.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Written whole under a temporary name, then linked in place: the link fails if the file exists, so replicas
  // starting at once on one data directory all end up with the one key that got there first, never half a file.
  const text = make();
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFileSync(path, 'utf8');
  } finally {
    unlinkSync(temp);
  }
}

/** Returns the 32-byte key stored in <dir>/<name>.key, creating it on first use. */
export function loadOrCreateKey(dir: string, name: string): Buffer {
  const path = join(dir, `${name}.key`);
  const key = Buffer.from(loadOrCreateSecretFile(dir, `${name}.key`, () => `${randomBytes(32).toString('base64')}\n`).trim(), 'base64');
  if (key.length < 32) throw new Error(`${path} is shorter than 32 bytes`);
  return key;
}
