// A path inside a server's files, as a client gives it, checked by its text alone: relative to the server's root,
// no "..", no NUL, no empty or over-long names. What the names are on disk (links, directories) is checked as they
// are opened, by the confined filesystem.
import { AppError } from '../shared/errors.ts';

/** Longest path accepted, in bytes (Linux's PATH_MAX is 4096 for the whole host path). */
export const MAX_PATH_BYTES = 2048;
/** Longest name of one entry, in bytes (NAME_MAX). */
export const MAX_NAME_BYTES = 255;
/** Deepest directory nesting accepted. */
export const MAX_DEPTH = 64;

export const invalidPath = (message: string) => new AppError(400, 'invalid_path', message);

/**
 * The names along a path, from the server's root: "/", "" and "." are the root itself ([]). A leading "/" means the
 * server's root (as SFTP clients and the file manager show it); "." components are dropped; ".." is refused, as is
 * anything that is not a plain name.
 */
export function splitPath(input: string): string[] {
  if (typeof input !== 'string') throw invalidPath('The path must be text.');
  if (input.includes('\0')) throw invalidPath('The path contains a NUL character.');
  if (Buffer.byteLength(input) > MAX_PATH_BYTES) throw invalidPath(`The path is longer than ${MAX_PATH_BYTES} bytes.`);
  if (input.includes('\\')) throw invalidPath('The path contains a backslash; use "/" between names.');
  const parts: string[] = [];
  for (const part of input.split('/')) {
    if (part === '' || part === '.') continue;
    // SECURITY: ".." is refused outright, never resolved: a path names something under the root or nothing.
    if (part === '..') throw invalidPath('The path contains "..": give it from the server\'s root.');
    if (Buffer.byteLength(part) > MAX_NAME_BYTES) throw invalidPath(`A name in the path is longer than ${MAX_NAME_BYTES} bytes.`);
    if (/[\x00-\x1f\x7f]/.test(part)) throw invalidPath('A name in the path contains a control character.');
    parts.push(part);
  }
  if (parts.length > MAX_DEPTH) throw invalidPath(`The path is nested deeper than ${MAX_DEPTH} directories.`);
  return parts;
}

/** The path as shown back to clients: "/" and the names joined. */
export const displayPath = (parts: readonly string[]): string => `/${parts.join('/')}`;
