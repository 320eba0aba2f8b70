// Reads a backup through: decrypts, decompresses and unpacks it, checking every entry's name, size and SHA-256
// against the manifest at its end. Each entry is handed to the caller (restore writes it; verify only counts it);
// a backup with an unlisted, altered, missing or unsafe entry is refused.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { AppError } from '../shared/errors.ts';
import { decryptStream, type Opening } from './age.ts';
import { MANIFEST_ENTRY, manifestSchema, safeEntryName, tap, type Manifest } from './format.ts';

export type BackupEntry = { name: string; type: 'file' | 'directory'; mode: number; mtime: Date | undefined; size: number };

/** The manifest may be long (one line per server file) but not unbounded. */
const MAX_MANIFEST = 256 * 1024 * 1024;

const broken = (message: string) => new AppError(400, 'backup_invalid', message);

/**
 * Reads the backup `file`; `onEntry` receives each entry before the manifest (with its content for a file, which it
 * must consume). Resolves with the manifest once every entry matched it.
 */
export async function readBackup(file: string, opening: Opening, onEntry: (entry: BackupEntry, content: Readable | null) => Promise<void> = async (_e, c) => void c?.resume()): Promise<Manifest> {
  const plain = await decryptStream(createReadStream(file), opening);
  const extract = tar.extract();
  const seen = new Map<string, { sha256: string | null; size: number; type: 'file' | 'directory' }>();
  let manifestText: string | null = null;

  extract.on('entry', (header, stream, next) => {
    const name = header.name;
    // A failure reaches the caller through the extract stream; the entry's own error event is not a second one.
    stream.on('error', () => undefined);
    void (async () => {
      if (manifestText !== null) throw broken('The backup has entries after its manifest.');
      if (!safeEntryName(name)) throw broken(`The backup holds an entry with a name a backup never has: ${JSON.stringify(name.slice(0, 200))}.`);
      if (seen.has(name)) throw broken(`The backup holds ${name} twice.`);
      if (name === MANIFEST_ENTRY) {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const c of stream as AsyncIterable<Buffer>) {
          size += c.length;
          if (size > MAX_MANIFEST) throw broken('The manifest is too large.');
          chunks.push(c);
        }
        manifestText = Buffer.concat(chunks).toString('utf8');
        return;
      }
      if (header.type === 'directory') {
        seen.set(name, { sha256: null, size: 0, type: 'directory' });
        stream.resume();
        await onEntry({ name, type: 'directory', mode: header.mode ?? 0o750, mtime: header.mtime, size: 0 }, null);
        return;
      }
      if (header.type !== 'file') throw broken(`The backup holds a ${header.type ?? 'special'} entry (${name}); backups hold files and directories only.`);
      const hash = createHash('sha256');
      let size = 0;
      const hashing = tap((chunk) => {
        hash.update(chunk);
        size += chunk.length;
      });
      const content = (stream as unknown as Readable).pipe(hashing);
      await onEntry({ name, type: 'file', mode: header.mode ?? 0o600, mtime: header.mtime, size: header.size ?? 0 }, content);
      // The caller may have stopped early: the rest is read (and hashed) anyway.
      content.resume();
      await new Promise<void>((resolve, reject) => {
        if (content.readableEnded) resolve();
        else {
          content.once('end', resolve);
          content.once('error', reject);
        }
      });
      seen.set(name, { sha256: hash.digest('hex'), size, type: 'file' });
    })().then(
      () => next(),
      (err: unknown) => extract.destroy(err as Error),
    );
  });

  try {
    await pipeline(plain, createGunzip(), extract);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw broken(`The backup is damaged or truncated (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (manifestText === null) throw broken('The backup has no manifest: it is incomplete.');
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(manifestText));
  } catch {
    throw broken('The backup\'s manifest is not one this panel reads.');
  }
  const listed = new Map(manifest.entries.map((e) => [e.path, e]));
  for (const [name, got] of seen) {
    const want = listed.get(name);
    if (!want) throw broken(`${name} is in the backup but not in its manifest.`);
    if (want.type !== got.type || want.size !== got.size || want.sha256 !== got.sha256) throw broken(`${name} does not match its checksum in the manifest: the backup was altered or damaged.`);
  }
  for (const name of listed.keys()) if (!seen.has(name)) throw broken(`${name} is in the manifest but missing from the backup.`);
  return manifest;
}
