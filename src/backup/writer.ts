// Writes one backup: the panel's state (a consistent snapshot of its database as a SQLite file, whatever the engine,
// config.json, its keys, audit.log) and, if asked, the servers' files, as a tar archive, gzip-compressed and
// age-encrypted, ending with a manifest of every entry's SHA-256. Streamed from start to end (memory stays flat
// whatever the size); the file appears under its name only when whole (written as a temporary file, fsync-ed,
// renamed), with mode 0600.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { ConfinedFs } from '../files/index.ts';
import { encryptStream, type Sealing } from './age.ts';
import type { DatabaseCopy } from './database-entry.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, ENTRY, MANIFEST_ENTRY, tap, type Manifest, type ManifestEntry } from './format.ts';

export type BackupProgress = { phase: 'preparing' | 'writing' | 'finishing'; doneBytes: number; totalBytes: number };

export type BackupServer = { id: string; name: string; shortId: string; files: () => Promise<ConfinedFs> };

export type BackupSources = {
  kind: 'panel' | 'server';
  /**
   * config.json, its keys directory and the log directory (panel backups), and `database`, which writes a snapshot of
   * the panel's database into a new SQLite file.
   */
  panel: { configPath: string; keysDir: string; logDir: string; migration: string | null; database: (dest: string) => Promise<DatabaseCopy> } | null;
  /** Servers whose files go in (all of them with --files; one for a server backup). */
  servers: readonly BackupServer[];
  /** Servers listed in the manifest (all the panel has), whether or not their files are in. */
  knownServers: ReadonlyArray<{ id: string; name: string; shortId: string }>;
  panelVersion: string;
};

export type WrittenBackup = { file: string; bytes: number; sha256: string; manifest: Manifest; database: DatabaseCopy | null };

type Item = { name: string; type: 'file' | 'directory'; mode: number; mtime: Date; size: number; read?: () => Promise<FileHandle> };

/** Exactly `size` bytes of an open file: what it holds now, zero-padded if it shrank while read (a running server). */
async function* exactly(fh: FileHandle, size: number): AsyncGenerator<Buffer> {
  const chunk = 256 * 1024;
  let at = 0;
  while (at < size) {
    const buf = Buffer.allocUnsafe(Math.min(chunk, size - at));
    const { bytesRead } = await fh.read(buf, 0, buf.length, at);
    if (bytesRead === 0) {
      yield Buffer.alloc(size - at);
      return;
    }
    at += bytesRead;
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

/** A copy of audit.log up to its last whole line (the panel may be writing the next one). */
async function copyWholeLines(source: string, dest: string): Promise<boolean> {
  if (!existsSync(source)) return false;
  const fh = await open(source, 'r');
  try {
    let size = (await fh.stat()).size;
    // Back from the end to the last newline.
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    if (size > 0) {
      await fh.read(tail, 0, tail.length, size - tail.length);
      const nl = tail.lastIndexOf(0x0a);
      size = nl === -1 ? size - tail.length : size - tail.length + nl + 1;
    }
    await pipeline(size === 0 ? Readable.from([]) : fh.createReadStream({ start: 0, end: size - 1, autoClose: false }), createWriteStream(dest, { mode: 0o600 }));
    return true;
  } finally {
    await fh.close();
  }
}

/** Regular files of the keys directory (never following links), as archive items. */
function keyItems(keysDir: string): Item[] {
  if (!existsSync(keysDir)) return [];
  return readdirSync(keysDir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const path = join(keysDir, d.name);
      const st = statSync(path);
      return { name: `${ENTRY.keysDir}${d.name}`, type: 'file' as const, mode: st.mode & 0o777, mtime: st.mtime, size: st.size, read: () => open(path, 'r') };
    });
}

const fileItem = (name: string, path: string): Item => {
  const st = statSync(path);
  return { name, type: 'file', mode: st.mode & 0o777, mtime: st.mtime, size: st.size, read: () => open(path, 'r') };
};

/**
 * Writes a backup to `out` (its directory must exist). Throws, leaving nothing behind, if anything fails; the
 * staging directory (the database snapshot, the audit.log copy) is removed either way.
 */
export async function writeBackup(sources: BackupSources, opts: { out: string; sealing: Sealing; now: Date; onProgress?: (p: BackupProgress) => void; signal?: AbortSignal }): Promise<WrittenBackup> {
  const progress: BackupProgress = { phase: 'preparing', doneBytes: 0, totalBytes: 0 };
  const report = () => opts.onProgress?.({ ...progress });
  report();
  const staging = join(dirname(opts.out), `.staging-${randomBytes(6).toString('hex')}`);
  const partial = join(dirname(opts.out), `.${basename(opts.out)}.${randomBytes(6).toString('hex')}.partial`);
  mkdirSync(staging, { mode: 0o700 });
  try {
    const items: Item[] = [];
    let database: DatabaseCopy | null = null;
    if (sources.panel) {
      const p = sources.panel;
      // audit.log before the database: every event the copy holds is then in the snapshot too.
      const auditCopy = join(staging, 'audit.log');
      const hasLog = await copyWholeLines(join(p.logDir, 'audit.log'), auditCopy);
      const dbCopy = join(staging, 'database.sqlite');
      database = await p.database(dbCopy);
      items.push(fileItem(ENTRY.sqlite, dbCopy), fileItem(ENTRY.config, p.configPath), ...keyItems(p.keysDir));
      if (hasLog) items.push(fileItem(ENTRY.auditLog, auditCopy));
    }
    // Server files are walked through the confined filesystem (links and special files are left out): once here to
    // count them, once more below to write them, each file read while the walk is at it.
    const serverFs: Array<{ server: BackupServer; fs: ConfinedFs }> = [];
    let serverBytes = 0;
    for (const server of sources.servers) {
      const fs = await server.files();
      serverFs.push({ server, fs });
      await fs.walk(['/'], async (e) => void (serverBytes += e.type === 'file' ? e.size : 0));
    }
    progress.totalBytes = items.reduce((n, i) => n + i.size, serverBytes);
    progress.phase = 'writing';
    report();

    const pack = tar.pack();
    const gzip = createGzip({ level: 1 });
    const sealed = await encryptStream(pack.pipe(gzip), opts.sealing);
    const fileHash = createHash('sha256');
    let bytes = 0;
    const counter = tap((chunk) => {
      fileHash.update(chunk);
      bytes += chunk.length;
    });
    const output = createWriteStream(partial, { mode: 0o600, flags: 'wx' });
    const written = pipeline(sealed, counter, output, { signal: opts.signal });
    // A failed write stops the producer too.
    let failed: unknown = null;
    written.catch((err: unknown) => {
      failed = err;
      // Stopped without an error of its own: the failure is the one above, reported by the loop below.
      pack.destroy();
    });

    const entries: ManifestEntry[] = [];
    const add = async (item: Item): Promise<void> => {
      if (failed) throw failed;
      if (item.type === 'directory') {
        pack.entry({ name: item.name, type: 'directory', mode: item.mode, mtime: item.mtime });
        entries.push({ path: item.name, type: 'directory', size: 0, mode: item.mode, sha256: null });
        return;
      }
      const fh = await item.read!();
      try {
        const hash = createHash('sha256');
        const sink = pack.entry({ name: item.name, type: 'file', mode: item.mode, mtime: item.mtime, size: item.size }) as unknown as NodeJS.WritableStream;
        const data = Readable.from(exactly(fh, item.size)).pipe(
          tap((chunk) => {
            hash.update(chunk);
            progress.doneBytes += chunk.length;
          }),
        );
        await pipeline(data, sink);
        entries.push({ path: item.name, type: 'file', size: item.size, mode: item.mode, sha256: hash.digest('hex') });
        report();
      } finally {
        await fh.close().catch(() => undefined);
      }
    };
    for (const item of items) await add(item);
    for (const { server, fs } of serverFs) {
      const root = `${ENTRY.serversDir}${server.id}/`;
      await add({ name: root, type: 'directory', mode: 0o750, mtime: opts.now, size: 0 });
      await fs.walk(['/'], (e) =>
        add(e.type === 'directory' ? { name: `${root}${e.parts.join('/')}/`, type: 'directory', mode: e.mode, mtime: e.modifiedAt, size: 0 } : { name: `${root}${e.parts.join('/')}`, type: 'file', mode: e.mode, mtime: e.modifiedAt, size: e.size, read: e.open }),
      );
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: opts.now.toISOString(),
      panelVersion: sources.panelVersion,
      kind: sources.kind,
      migration: sources.panel?.migration ?? null,
      database: sources.panel ? 'sqlite' : null,
      includesServerFiles: sources.servers.length > 0,
      servers: sources.knownServers.map(({ id, name, shortId }) => ({ id, name, shortId })),
      entries,
    };
    progress.phase = 'finishing';
    report();
    pack.entry({ name: MANIFEST_ENTRY, mode: 0o600, mtime: opts.now }, JSON.stringify(manifest, null, 1));
    pack.finalize();
    await written;
    // On disk before it is given its name: a crash leaves a .partial file, never a short backup.
    const fh = await open(partial, 'r+');
    await fh.sync();
    await fh.close();
    await rename(partial, opts.out);
    return { file: opts.out, bytes, sha256: fileHash.digest('hex'), manifest, database };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
