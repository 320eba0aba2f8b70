// Archives of server files: made from files and directories (tar.gz or zip, links left out), and extracted into a
// directory. An archive is hostile like any file: it is read through once before anything is written, and refused
// whole when an entry would land outside the destination (zip-slip: "..", absolute names), is a link or a device, or
// when it holds more entries or bytes than allowed (archive bombs; its bytes are counted as they are decompressed,
// never taken from its headers alone).
import { once } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { AppError } from '../shared/errors.ts';
import type { ConfinedFs, WalkEntry } from './confined-fs.ts';
import { displayPath, splitPath } from './paths.ts';

export type ArchiveFormat = 'tar.gz' | 'zip';
export type ExtractLimits = { maxEntries: number; maxBytes: number };

const unsafe = (message: string) => new AppError(400, 'unsafe_archive', message);
const tooBig = (message: string) => new AppError(413, 'archive_too_large', message);

/** The format of an archive by its name: .zip, .tar.gz / .tgz, or .tar. */
export function formatOf(name: string): 'zip' | 'tar.gz' | 'tar' | null {
  const n = name.toLowerCase();
  if (n.endsWith('.zip')) return 'zip';
  if (n.endsWith('.tar.gz') || n.endsWith('.tgz')) return 'tar.gz';
  if (n.endsWith('.tar')) return 'tar';
  return null;
}

/** An entry's name as names under the destination; refuses what would leave it. */
function entryParts(name: string): string[] {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw unsafe(`The archive holds an absolute name (${name.slice(0, 200)}); nothing was extracted.`);
  try {
    return splitPath(name);
  } catch (err) {
    throw unsafe(`The archive holds a name that leaves its directory (${name.slice(0, 200)}): ${(err as Error).message} Nothing was extracted.`);
  }
}

type Item = { parts: string[]; type: 'file' | 'directory'; mode: number; stream?: Readable };

/** Reads every entry of an archive in order, calling `each` with its checked name and content. */
async function readEntries(handle: FileHandle, format: 'zip' | 'tar.gz' | 'tar', each: (item: Item) => Promise<void>): Promise<void> {
  if (format === 'zip') return readZip(handle, each);
  const extract = tar.extract();
  const source = handle.createReadStream({ autoClose: false, start: 0 });
  const sink = extract as unknown as NodeJS.WritableStream;
  const feeding = (format === 'tar.gz' ? pipeline(source, createGunzip(), sink) : pipeline(source, sink)).catch((err: unknown) => {
    extract.destroy(err as Error);
  });
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (h.type !== 'file' && h.type !== 'directory' && h.type !== 'contiguous-file') {
        entry.resume();
        throw unsafe(`The archive holds ${h.type === 'symlink' || h.type === 'link' ? 'a link' : `a ${h.type}`} (${h.name.slice(0, 200)}); links and devices are never extracted. Nothing was extracted.`);
      }
      const parts = entryParts(h.name);
      if (h.type === 'directory') {
        entry.resume();
        await each({ parts, type: 'directory', mode: (h.mode ?? 0o750) & 0o777 });
      } else {
        // tar-stream's entries are streamx streams: async-iterable, as everything reading them here expects.
        await each({ parts, type: 'file', mode: (h.mode ?? 0o640) & 0o777, stream: entry as unknown as Readable });
        // What the consumer left unread is drained, so the next entry comes.
        entry.resume();
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unsafe(`The archive cannot be read (${(err as Error).message.slice(0, 200)}).`);
  } finally {
    await feeding;
  }
}

async function readZip(handle: FileHandle, each: (item: Item) => Promise<void>): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromFd(handle.fd, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (err, z) => (err ? reject(err) : resolve(z!))),
    );
  } catch (err) {
    throw unsafe(`The archive cannot be read as a zip file (${(err as Error).message.slice(0, 200)}).`);
  }
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => done(null, e);
        const onEnd = () => done(null, null);
        const onError = (err: Error) => done(err, null);
        const done = (err: Error | null, e: yauzl.Entry | null) => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
          if (err) reject(err);
          else resolve(e);
        };
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      const unixMode = (entry.externalFileAttributes >>> 16) & 0o177777;
      const kind = unixMode & 0o170000;
      const isDir = entry.fileName.endsWith('/');
      if (kind !== 0 && kind !== 0o100000 && kind !== 0o040000) {
        throw unsafe(`The archive holds ${kind === 0o120000 ? 'a link' : 'a special file'} (${entry.fileName.slice(0, 200)}); links and devices are never extracted. Nothing was extracted.`);
      }
      if (entry.isEncrypted()) throw unsafe(`The archive holds an encrypted entry (${entry.fileName.slice(0, 200)}).`);
      const parts = entryParts(entry.fileName);
      const mode = unixMode & 0o777;
      if (isDir) {
        await each({ parts, type: 'directory', mode: mode || 0o750 });
        continue;
      }
      const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s!))));
      await each({ parts, type: 'file', mode: mode || 0o640, stream });
      stream.resume();
      if (!stream.readableEnded) await once(stream, 'end').catch(() => undefined);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unsafe(`The archive cannot be read (${(err as Error).message.slice(0, 200)}).`);
  }
  // Not zip.close(): yauzl would close the descriptor itself, which belongs to the caller's file handle.
}

/** Counts bytes as they are decompressed; past the limit, the archive is refused. */
async function countBytes(stream: Readable, budget: { bytes: number; max: number }): Promise<void> {
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    budget.bytes += chunk.length;
    if (budget.bytes > budget.max) throw tooBig(`The archive expands to more than ${budget.max} bytes (the disk limit, or files.maxExtractBytes); nothing was extracted.`);
  }
}

/**
 * Extracts an archive of the server's files into a directory of them (made if missing; files in it are replaced).
 * The archive is checked whole first; returns what was written.
 */
export async function extractArchive(fs: ConfinedFs, archive: string, to: string, limits: ExtractLimits): Promise<{ files: number; directories: number; bytes: number }> {
  const format = formatOf(archive);
  if (!format) throw new AppError(400, 'unknown_archive', 'Only .zip, .tar.gz, .tgz and .tar archives can be extracted.');
  const dest = splitPath(to);

  // First pass: names, types, entry count and the real uncompressed size, nothing written.
  const scan = { entries: 0, budget: { bytes: 0, max: limits.maxBytes } };
  const first = await fs.openRead(archive);
  try {
    await readEntries(first.handle, format, async (item) => {
      scan.entries += 1;
      if (scan.entries > limits.maxEntries) throw tooBig(`The archive holds more than ${limits.maxEntries} entries; nothing was extracted.`);
      if (item.parts.length + dest.length > 64) throw unsafe('The archive nests directories too deep; nothing was extracted.');
      if (item.stream) await countBytes(item.stream, scan.budget);
    });
  } finally {
    await first.handle.close().catch(() => undefined);
  }

  // Second pass: written through the confined filesystem (each file atomically, within the disk limit).
  const out = { files: 0, directories: 0, bytes: 0 };
  const made = new Set<string>();
  const ensureDir = async (parts: string[]) => {
    const key = parts.join('/');
    if (parts.length === 0 || made.has(key)) return;
    await fs.mkdir(displayPath(parts), { parents: true }).catch((err: unknown) => {
      if (!(err instanceof AppError && err.code === 'already_exists')) throw err;
    });
    made.add(key);
  };
  await ensureDir(dest);
  const second = await fs.openRead(archive);
  try {
    await readEntries(second.handle, format, async (item) => {
      const parts = [...dest, ...item.parts];
      if (item.type === 'directory') {
        await ensureDir(parts);
        out.directories += 1;
        return;
      }
      await ensureDir(parts.slice(0, -1));
      out.bytes += await fs.writeFile(displayPath(parts), item.stream!, { maxBytes: limits.maxBytes - out.bytes, mode: item.mode });
      out.files += 1;
    });
  } finally {
    await second.handle.close().catch(() => undefined);
  }
  return out;
}

type ArchiveWriter = {
  stream: Readable;
  directory(name: string, e: WalkEntry): void;
  /** Adds a file; resolves once its bytes are taken. */
  file(name: string, e: WalkEntry, fh: FileHandle): Promise<void>;
  end(): void;
};

function zipWriter(signal: AbortSignal): ArchiveWriter {
  const zip = new yazl.ZipFile();
  return {
    stream: zip.outputStream as Readable,
    directory: (name, e) => zip.addEmptyDirectory(name, { mtime: e.modifiedAt, mode: 0o40000 | e.mode }),
    async file(name, e, fh) {
      const data = fh.createReadStream({ autoClose: false, start: 0 });
      zip.addReadStream(data, name, { mtime: e.modifiedAt, mode: 0o100000 | e.mode });
      await once(data, 'end', { signal });
    },
    end: () => zip.end(),
  };
}

function tarWriter(signal: AbortSignal): ArchiveWriter {
  const pack = tar.pack();
  return {
    stream: pack as unknown as Readable,
    directory: (name, e) => void pack.entry({ name: `${name}/`, type: 'directory', mode: e.mode, mtime: e.modifiedAt }),
    async file(name, e, fh) {
      // The size the header declares is the size read: a file that changes meanwhile fails the archive.
      const size = (await fh.stat()).size;
      const sink = pack.entry({ name, type: 'file', mode: e.mode, mtime: e.modifiedAt, size }) as unknown as NodeJS.WritableStream;
      const data = size === 0 ? Readable.from([]) : fh.createReadStream({ autoClose: false, start: 0, end: size - 1 });
      await pipeline(data, sink, { signal });
    },
    end: () => pack.finalize(),
  };
}

/**
 * Makes an archive of files and directories (each under its own name, what a directory holds under it) and writes it
 * atomically to `to`, within the disk limit. Links, special and hard-linked files are left out (counted as skipped).
 */
export async function createArchive(fs: ConfinedFs, paths: readonly string[], to: string, format: ArchiveFormat, maxBytes: number): Promise<{ entries: number; skipped: number; bytes: number }> {
  if (paths.length === 0) throw new AppError(400, 'validation_failed', 'Name at least one file or directory to archive.');
  const target = splitPath(to);
  let entries = 0;
  const output = new PassThrough();
  const writing = fs.writeFile(to, output, { maxBytes, overwrite: false });

  // The archive's own file is never put in itself.
  const isTarget = (parts: string[]) => parts.length === target.length && parts.every((p, i) => p === target[i]);
  // When the write fails (the disk limit), the producer stops too instead of waiting for a reader that is gone.
  const abort = new AbortController();
  const writingOrAbort = writing.catch((err: unknown): never => {
    abort.abort(err);
    throw err;
  });
  const { signal } = abort;
  const producing = (async () => {
    const writer = format === 'zip' ? zipWriter(signal) : tarWriter(signal);
    const piping = format === 'zip' ? pipeline(writer.stream, output, { signal }) : pipeline(writer.stream, createGzip(), output, { signal });
    // Awaited at the end; a failure before then is seen there (and must not go unhandled meanwhile).
    piping.catch(() => undefined);
    let skipped = 0;
    for (const path of paths) {
      const base = splitPath(path).length - 1;
      const walked = await fs.walk([path], async (e) => {
        if (isTarget(e.parts)) return;
        entries += 1;
        const name = e.parts.slice(base).join('/');
        if (e.type === 'directory') return writer.directory(name, e);
        const fh = await e.open();
        try {
          await writer.file(name, e, fh);
        } finally {
          await fh.close();
        }
      });
      skipped += walked.skipped;
    }
    writer.end();
    await piping;
    return skipped;
  })().catch((err: unknown): never => {
    output.destroy(err as Error);
    throw err;
  });

  // The write's failure (the disk limit) says more than the producer's (its output closed under it).
  const [written, produced] = await Promise.allSettled([writingOrAbort, producing]);
  if (written.status === 'rejected') throw written.reason;
  if (produced.status === 'rejected') throw produced.reason;
  return { entries, skipped: produced.value, bytes: written.value };
}
