// One server's files, confined to its data directory, for the HTTP file API and SFTP alike.
//
// SECURITY: the container writes into this directory, so every entry in it is hostile: a name may be a symbolic link
// to the host's /etc, may become one between a check and its use, or may be a hard link to a file elsewhere. Nothing
// here resolves a path in one go. A path is walked from the root one name at a time, each directory opened with
// O_NOFOLLOW | O_DIRECTORY relative to the directory before it (through /proc/self/fd/N, which is openat(2) for
// Node), so a symbolic link anywhere along it fails the walk (ELOOP) and a directory swapped after it was opened
// does not matter: the open descriptor pins it. The last name is then used relative to its directory's descriptor:
// opened with O_NOFOLLOW (and O_NONBLOCK, so a FIFO never hangs a thread), created with O_EXCL, renamed or unlinked
// (which never follow a link), chmod-ed through a descriptor. Regular files with more than one hard link are not
// opened: one of them may be outside.
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError } from '../shared/errors.ts';
import { displayPath, invalidPath, splitPath } from './paths.ts';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
const FILE_READ_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
const CREATE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;

/** Modes a client may set: read, write and execute bits; never setuid, setgid or sticky. */
export const CHMOD_MASK = 0o777;
/** Entries listed from one directory at most. */
export const MAX_LIST_ENTRIES = 10_000;
/** Temporary files of writes in progress start with this (hidden from listings). */
export const TEMP_PREFIX = '.aether-tmp-';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';
export type Entry = { name: string; type: EntryType; size: number; mode: number; modifiedAt: Date };

/** What walk() visits: a file (open() reads it) or a directory, by its path from the root. */
export type WalkEntry = { path: string; parts: string[]; type: 'file' | 'directory'; mode: number; modifiedAt: Date; size: number; open: () => Promise<FileHandle> };

export type ConfinedFsOptions = {
  /** The server's data directory (a real directory, made by the panel). */
  root: string;
  /** Owner given to what is created (the container's user), when the panel may change owners. */
  owner?: { uid: number; gid: number } | null;
  /** Bytes the server may still write: its disk limit minus what its files take now. */
  quotaLeft?: () => Promise<number>;
};

const fail = {
  notFound: (path: string) => new AppError(404, 'not_found', `${path} does not exist.`),
  symlink: (path: string) => new AppError(403, 'unsafe_path', `${path} goes through a symbolic link; links in server files are never followed.`),
  hardLink: (path: string) => new AppError(403, 'unsafe_file', `${path} has other hard links (one may be outside the server's files); it is not opened.`),
  notDirectory: (path: string) => new AppError(400, 'not_a_directory', `${path} is not a directory.`),
  notFile: (path: string) => new AppError(400, 'not_a_file', `${path} is not a regular file.`),
  exists: (path: string) => new AppError(409, 'already_exists', `${path} exists already.`),
  notEmpty: (path: string) => new AppError(409, 'directory_not_empty', `${path} is not empty; delete it recursively.`),
  root: () => new AppError(400, 'invalid_path', 'The server\'s root directory itself cannot be changed this way.'),
  quota: (left: number) =>
    new AppError(413, 'disk_limit_exceeded', `This would go past the server's disk limit (${left >= 1024 * 1024 ? `${Math.floor(left / 1024 / 1024)} MiB` : `${Math.max(0, left)} bytes`} left).`),
  tooLarge: (max: number) => new AppError(413, 'file_too_large', `The file is larger than ${max} bytes.`),
};

/** The error of a failed system call on `path`, as the client should see it. */
function mapError(err: unknown, path: string): never {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof AppError) throw err;
  switch (code) {
    case 'ENOENT':
      throw fail.notFound(path);
    case 'ELOOP':
      throw fail.symlink(path);
    case 'ENOTDIR':
      throw fail.notDirectory(path);
    case 'EISDIR':
      throw fail.notFile(path);
    case 'EEXIST':
      throw fail.exists(path);
    case 'ENOTEMPTY':
      throw fail.notEmpty(path);
    case 'EINVAL':
      throw invalidPath(`${path}: not possible (a directory cannot move into itself).`);
    case 'ENAMETOOLONG':
      throw invalidPath(`${path} is too long.`);
    case 'EXDEV':
      throw invalidPath(`${path}: moving across file systems is not possible.`);
    case 'ENOSPC':
    case 'EDQUOT':
      // Not the client's doing: the host's disk is full (507 Insufficient Storage), and nothing half-written stays.
      throw new AppError(507, 'disk_full', 'The disk holding the server\'s files is full.');
    default:
      throw err;
  }
}

const typeOf = (st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryType =>
  st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';

/** `name` inside the directory a descriptor holds: what openat(fd, name) would reach, for Node's path-based calls. */
const at = (dir: FileHandle, name: string) => `/proc/self/fd/${dir.fd}/${name}`;
const self = (dir: FileHandle) => `/proc/self/fd/${dir.fd}`;

export type ConfinedFs = ReturnType<typeof createConfinedFs>;

export function createConfinedFs(opts: ConfinedFsOptions) {
  const { root } = opts;

  /** The directory `name` in an open directory, never through a link. The caller closes it. */
  async function openDirAt(dir: FileHandle, name: string, shown: string): Promise<FileHandle> {
    return open(at(dir, name), DIR_FLAGS).catch(async (err: unknown) => {
      // O_DIRECTORY | O_NOFOLLOW on a link fails with ENOTDIR (or ELOOP): say which it was.
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOTDIR' || code === 'ELOOP') && (await lstat(at(dir, name)).then((st) => st.isSymbolicLink(), () => false))) throw fail.symlink(shown);
      return mapError(err, shown);
    });
  }

  /** The directory at `parts`, opened without following a link anywhere along the way. The caller closes it. */
  async function openDir(parts: readonly string[]): Promise<FileHandle> {
    let dir = await open(root, DIR_FLAGS);
    try {
      for (let i = 0; i < parts.length; i += 1) {
        const name = parts[i]!;
        const shown = displayPath(parts.slice(0, i + 1));
        const next = await openDirAt(dir, name, shown);
        await dir.close();
        dir = next;
      }
      return dir;
    } catch (err) {
      await dir.close().catch(() => undefined);
      throw err;
    }
  }

  /** Runs fn with the directory holding the last name of `path` and that name (never the root itself). */
  async function inParent<T>(path: string, fn: (dir: FileHandle, name: string, shown: string) => Promise<T>): Promise<T> {
    const parts = splitPath(path);
    if (parts.length === 0) throw fail.root();
    const dir = await openDir(parts.slice(0, -1));
    try {
      return await fn(dir, parts.at(-1)!, displayPath(parts));
    } finally {
      await dir.close().catch(() => undefined);
    }
  }

  /** Opens an existing regular file for reading: never through a link, never a FIFO or device, never hard-linked. */
  async function openFile(dir: FileHandle, name: string, shown: string): Promise<FileHandle> {
    const fh = await open(at(dir, name), FILE_READ_FLAGS).catch((err: unknown) => mapError(err, shown));
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw fail.notFile(shown);
      if (st.nlink > 1) throw fail.hardLink(shown);
      return fh;
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err;
    }
  }

  async function giveToOwner(fh: FileHandle): Promise<void> {
    if (opts.owner) await fh.chown(opts.owner.uid, opts.owner.gid).catch(() => undefined);
  }

  async function quotaLeft(): Promise<number> {
    return opts.quotaLeft ? opts.quotaLeft() : Number.POSITIVE_INFINITY;
  }

  /** Writes `source` into a new temporary file next to `name`, then renames it over `name`: a reader sees the old file or the new one, never half. */
  async function writeInto(
    dir: FileHandle,
    name: string,
    shown: string,
    source: Readable | Buffer,
    o: { maxBytes: number; overwrite: boolean; mode: number; /** What is left of the disk limit, known already (a copy in progress). */ quotaLeft?: number },
  ): Promise<number> {
    if (!o.overwrite) {
      const exists = await lstat(at(dir, name)).then(() => true, () => false);
      if (exists) throw fail.exists(shown);
    } else {
      const st = await lstat(at(dir, name)).catch(() => null);
      if (st?.isDirectory()) throw fail.notFile(shown);
    }
    const left = Math.min(await quotaLeft(), o.quotaLeft ?? Number.POSITIVE_INFINITY);
    const limit = Math.min(o.maxBytes, left);
    const tmp = `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`;
    const fh = await open(at(dir, tmp), CREATE_FLAGS, o.mode).catch((err: unknown) => mapError(err, shown));
    let written = 0;
    try {
      for await (const chunk of Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>)) {
        written += chunk.length;
        if (written > limit) throw left < o.maxBytes ? fail.quota(left) : fail.tooLarge(o.maxBytes);
        for (let offset = 0; offset < chunk.length; ) offset += (await fh.write(chunk, offset)).bytesWritten;
      }
      await fh.sync();
      await giveToOwner(fh);
      await fh.close();
    } catch (err) {
      await fh.close().catch(() => undefined);
      await unlink(at(dir, tmp)).catch(() => undefined);
      mapError(err, shown);
    }
    try {
      await rename(at(dir, tmp), at(dir, name));
    } catch (err) {
      await unlink(at(dir, tmp)).catch(() => undefined);
      mapError(err, shown);
    }
    return written;
  }

  /** Deletes everything in an open directory, depth first, never following a link (a link is deleted, not its target). */
  async function emptyDir(dir: FileHandle, shown: string): Promise<void> {
    for (const name of await readdir(self(dir))) {
      const st = await lstat(at(dir, name)).catch(() => null);
      if (!st) continue;
      if (st.isDirectory()) {
        const child = await openDirAt(dir, name, `${shown}/${name}`);
        try {
          await emptyDir(child, `${shown}/${name}`);
        } finally {
          await child.close().catch(() => undefined);
        }
        await rmdir(at(dir, name)).catch((err: unknown) => mapError(err, `${shown}/${name}`));
      } else {
        await unlink(at(dir, name)).catch((err: unknown) => mapError(err, `${shown}/${name}`));
      }
    }
  }

  /** Copies what is in an open directory into another, depth first; links and special files are left out. */
  async function copyDir(from: FileHandle, to: FileHandle, budget: { left: number }): Promise<void> {
    for (const name of await readdir(self(from))) {
      if (name.startsWith(TEMP_PREFIX)) continue;
      const st = await lstat(at(from, name)).catch(() => null);
      if (!st) continue;
      if (st.isDirectory()) {
        await mkdir(at(to, name), 0o750).catch((err: unknown) => mapError(err, name));
        const src = await openDirAt(from, name, name);
        const dst = await openDirAt(to, name, name).catch(async (err: unknown) => {
          await src.close();
          throw err;
        });
        try {
          await giveToOwner(dst);
          await copyDir(src, dst, budget);
        } finally {
          await src.close().catch(() => undefined);
          await dst.close().catch(() => undefined);
        }
      } else if (st.isFile() && st.nlink === 1) {
        const src = await openFile(from, name, name);
        try {
          const bytes = await writeInto(to, name, name, src.createReadStream({ autoClose: false }), { maxBytes: Number.MAX_SAFE_INTEGER, quotaLeft: budget.left, overwrite: false, mode: st.mode & CHMOD_MASK });
          budget.left -= bytes;
        } finally {
          await src.close().catch(() => undefined);
        }
      }
    }
  }

  return {
    root,

    /** One entry, as it is (a link is reported as a link, not followed). */
    async stat(path: string): Promise<Entry> {
      const parts = splitPath(path);
      if (parts.length === 0) {
        const dir = await openDir([]);
        try {
          const st = await dir.stat();
          return { name: '/', type: 'directory', size: st.size, mode: st.mode & 0o7777, modifiedAt: st.mtime };
        } finally {
          await dir.close();
        }
      }
      return inParent(path, async (dir, name, shown) => {
        const st = await lstat(at(dir, name)).catch((err: unknown) => mapError(err, shown));
        return { name, type: typeOf(st), size: st.size, mode: st.mode & 0o7777, modifiedAt: st.mtime };
      });
    },

    /** A directory's entries, directories first, then by name (at most MAX_LIST_ENTRIES; truncated says so). */
    async list(path: string): Promise<{ entries: Entry[]; truncated: boolean }> {
      const parts = splitPath(path);
      const dir = await openDir(parts);
      try {
        const names = (await readdir(self(dir))).filter((n) => !n.startsWith(TEMP_PREFIX));
        const entries: Entry[] = [];
        for (const name of names.slice(0, MAX_LIST_ENTRIES)) {
          const st = await lstat(at(dir, name)).catch(() => null);
          if (st) entries.push({ name, type: typeOf(st), size: st.size, mode: st.mode & 0o7777, modifiedAt: st.mtime });
        }
        entries.sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));
        return { entries, truncated: names.length > MAX_LIST_ENTRIES };
      } finally {
        await dir.close();
      }
    },

    /**
     * A regular file opened for reading, with its size: the caller streams it (`handle.createReadStream({ start, end })`)
     * and closes the handle.
     */
    async openRead(path: string): Promise<{ handle: FileHandle; size: number; modifiedAt: Date; name: string }> {
      return inParent(path, async (dir, name, shown) => {
        const handle = await openFile(dir, name, shown);
        const st = await handle.stat();
        return { handle, size: st.size, modifiedAt: st.mtime, name };
      });
    },

    /** Reads a whole (small) file. */
    async readFile(path: string, maxBytes: number): Promise<Buffer> {
      const { handle, size } = await this.openRead(path);
      try {
        if (size > maxBytes) throw fail.tooLarge(maxBytes);
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },

    /**
     * Writes a file atomically (a temporary file renamed over it), streamed, within maxBytes and the disk limit.
     * Returns the bytes written.
     */
    async writeFile(path: string, source: Readable | Buffer, o: { maxBytes: number; overwrite?: boolean; mode?: number }): Promise<number> {
      return inParent(path, (dir, name, shown) => writeInto(dir, name, shown, source, { maxBytes: o.maxBytes, overwrite: o.overwrite ?? true, mode: (o.mode ?? 0o640) & CHMOD_MASK }));
    },

    async mkdir(path: string, o: { parents?: boolean } = {}): Promise<void> {
      const parts = splitPath(path);
      if (parts.length === 0) throw fail.root();
      const first = o.parents ? 1 : parts.length;
      for (let depth = first; depth <= parts.length; depth += 1) {
        const last = depth === parts.length;
        await inParent(displayPath(parts.slice(0, depth)), async (dir, name, shown) => {
          try {
            await mkdir(at(dir, name), 0o750);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !last) return;
            mapError(err, shown);
          }
          const made = await openDirAt(dir, name, shown);
          try {
            await giveToOwner(made);
          } finally {
            await made.close();
          }
        });
      }
    },

    /** Moves or renames an entry (a link is moved as a link). Refuses to replace an existing entry unless overwrite. */
    async rename(from: string, to: string, o: { overwrite?: boolean } = {}): Promise<void> {
      await inParent(from, (src, a, shownA) =>
        inParent(to, async (dst, b, shownB) => {
          await lstat(at(src, a)).catch((err: unknown) => mapError(err, shownA));
          if (!o.overwrite && (await lstat(at(dst, b)).then(() => true, () => false))) throw fail.exists(shownB);
          await rename(at(src, a), at(dst, b)).catch((err: unknown) => mapError(err, shownB));
        }),
      );
    },

    /** Copies a file, or a directory with everything in it (links and special files left out), within the disk limit. */
    async copy(from: string, to: string): Promise<void> {
      await inParent(from, (src, a, shownA) =>
        inParent(to, async (dst, b, shownB) => {
          const st = await lstat(at(src, a)).catch((err: unknown) => mapError(err, shownA));
          if (st.isSymbolicLink()) throw fail.symlink(shownA);
          if (await lstat(at(dst, b)).then(() => true, () => false)) throw fail.exists(shownB);
          if (st.isFile()) {
            const fh = await openFile(src, a, shownA);
            try {
              await writeInto(dst, b, shownB, fh.createReadStream({ autoClose: false }), { maxBytes: Number.MAX_SAFE_INTEGER, overwrite: false, mode: st.mode & CHMOD_MASK });
            } finally {
              await fh.close().catch(() => undefined);
            }
            return;
          }
          if (!st.isDirectory()) throw fail.notFile(shownA);
          const budget = { left: await quotaLeft() };
          await mkdir(at(dst, b), 0o750).catch((err: unknown) => mapError(err, shownB));
          const fromDir = await openDirAt(src, a, shownA);
          const toDir = await openDirAt(dst, b, shownB).catch(async (err: unknown) => {
            await fromDir.close();
            throw err;
          });
          try {
            await giveToOwner(toDir);
            await copyDir(fromDir, toDir, budget);
          } catch (err) {
            // Nothing half-copied stays.
            await emptyDir(toDir, shownB).catch(() => undefined);
            await rmdir(at(dst, b)).catch(() => undefined);
            throw err;
          } finally {
            await fromDir.close().catch(() => undefined);
            await toDir.close().catch(() => undefined);
          }
        }),
      );
    },

    /** Deletes a file or link (the link itself), or a directory (with what is in it when recursive). */
    async remove(path: string, o: { recursive?: boolean } = {}): Promise<void> {
      await inParent(path, async (dir, name, shown) => {
        const st = await lstat(at(dir, name)).catch((err: unknown) => mapError(err, shown));
        if (!st.isDirectory()) {
          await unlink(at(dir, name)).catch((err: unknown) => mapError(err, shown));
          return;
        }
        if (o.recursive) {
          const child = await openDirAt(dir, name, shown);
          try {
            await emptyDir(child, shown);
          } finally {
            await child.close().catch(() => undefined);
          }
        }
        await rmdir(at(dir, name)).catch((err: unknown) => mapError(err, shown));
      });
    },

    /**
     * Visits the files and directories under each path, depth first, directories before what they hold, never
     * through a link: links, special files and hard-linked files are counted as skipped, not visited. A file is read
     * with open() while it is visited (the caller closes the handle).
     */
    async walk(paths: readonly string[], visit: (entry: WalkEntry) => Promise<void>): Promise<{ skipped: number }> {
      let skipped = 0;
      const visitIn = async (dir: FileHandle, name: string, parts: string[]): Promise<void> => {
        const st = await lstat(at(dir, name)).catch(() => null);
        if (!st) return;
        const path = displayPath(parts);
        const base = { path, parts, mode: st.mode & CHMOD_MASK, modifiedAt: st.mtime, size: st.size };
        if (st.isDirectory()) {
          await visit({ ...base, type: 'directory', open: () => Promise.reject(fail.notFile(path)) });
          const child = await openDirAt(dir, name, path);
          try {
            for (const entry of (await readdir(self(child))).sort()) if (!entry.startsWith(TEMP_PREFIX)) await visitIn(child, entry, [...parts, entry]);
          } finally {
            await child.close().catch(() => undefined);
          }
        } else if (st.isFile() && st.nlink === 1) {
          await visit({ ...base, type: 'file', open: () => openFile(dir, name, path) });
        } else {
          skipped += 1;
        }
      };
      for (const path of paths) {
        const parts = splitPath(path);
        if (parts.length === 0) {
          const dir = await openDir([]);
          try {
            for (const entry of (await readdir(self(dir))).sort()) if (!entry.startsWith(TEMP_PREFIX)) await visitIn(dir, entry, [entry]);
          } finally {
            await dir.close().catch(() => undefined);
          }
          continue;
        }
        await inParent(path, async (dir, name, shown) => {
          const st = await lstat(at(dir, name)).catch((err: unknown) => mapError(err, shown));
          if (st.isSymbolicLink()) throw fail.symlink(shown);
          await visitIn(dir, name, parts);
        });
      }
      return { skipped };
    },

    /**
     * A file opened for writing at offsets (SFTP): a new or truncated file is written to a temporary file that commit()
     * renames into place (a reader never sees it half-written); an existing one opened without truncate is written in
     * place (resumed uploads). discard() drops what a new file got.
     */
    async openWrite(path: string, o: { create: boolean; truncate: boolean; exclusive: boolean }): Promise<{ handle: FileHandle; size: number; commit(): Promise<void>; discard(): Promise<void> }> {
      const parts = splitPath(path);
      if (parts.length === 0) throw fail.root();
      const shown = displayPath(parts);
      const name = parts.at(-1)!;
      const dir = await openDir(parts.slice(0, -1));
      try {
        const st = await lstat(at(dir, name)).catch(() => null);
        if (st && o.exclusive) throw fail.exists(shown);
        if (st?.isDirectory()) throw fail.notFile(shown);
        if (!st && !o.create) throw fail.notFound(shown);
        if (st && !o.truncate) {
          if (st.isSymbolicLink()) throw fail.symlink(shown);
          const handle = await open(at(dir, name), O_WRONLY | O_NOFOLLOW | O_NONBLOCK).catch((err: unknown) => mapError(err, shown));
          const now = await handle.stat();
          await dir.close();
          if (!now.isFile() || now.nlink > 1) {
            await handle.close();
            throw now.isFile() ? fail.hardLink(shown) : fail.notFile(shown);
          }
          return { handle, size: now.size, commit: () => handle.close(), discard: () => handle.close() };
        }
        const tmp = `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`;
        const handle = await open(at(dir, tmp), CREATE_FLAGS, st ? st.mode & CHMOD_MASK : 0o640).catch((err: unknown) => mapError(err, shown));
        let settled = false;
        return {
          handle,
          size: 0,
          async commit() {
            if (settled) return;
            settled = true;
            try {
              await giveToOwner(handle);
              await handle.close();
              await rename(at(dir, tmp), at(dir, name)).catch((err: unknown) => mapError(err, shown));
            } catch (err) {
              await unlink(at(dir, tmp)).catch(() => undefined);
              throw err;
            } finally {
              await dir.close().catch(() => undefined);
            }
          },
          async discard() {
            if (settled) return;
            settled = true;
            await handle.close().catch(() => undefined);
            await unlink(at(dir, tmp)).catch(() => undefined);
            await dir.close().catch(() => undefined);
          },
        };
      } catch (err) {
        await dir.close().catch(() => undefined);
        throw err;
      }
    },

    /** Bytes the server may still write (its disk limit minus what its files take). */
    quotaLeft,

    /** Sets a file's size or times (SFTP SETSTAT), through a descriptor: never a link's target. */
    async setAttrs(path: string, a: { size?: number; atime?: number; mtime?: number }): Promise<void> {
      await inParent(path, async (dir, name, shown) => {
        const fh = await open(at(dir, name), (a.size !== undefined ? O_WRONLY : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK).catch((err: unknown) => mapError(err, shown));
        try {
          const st = await fh.stat();
          if (!st.isFile() && !st.isDirectory()) throw fail.notFile(shown);
          if (st.isFile() && st.nlink > 1) throw fail.hardLink(shown);
          if (a.size !== undefined) await fh.truncate(a.size);
          if (a.atime !== undefined && a.mtime !== undefined) await fh.utimes(a.atime, a.mtime);
        } finally {
          await fh.close();
        }
      });
    },

    /** Sets the permission bits of a file or directory (rwx only), through a descriptor: never a link's target. */
    async chmod(path: string, mode: number): Promise<void> {
      if (!Number.isInteger(mode) || mode < 0 || (mode & ~CHMOD_MASK) !== 0) {
        throw new AppError(400, 'invalid_mode', 'Only read, write and execute bits may be set (0 to 0777); never setuid, setgid or sticky.');
      }
      const parts = splitPath(path);
      if (parts.length === 0) throw fail.root();
      await inParent(path, async (dir, name, shown) => {
        const fh = await open(at(dir, name), FILE_READ_FLAGS).catch((err: unknown) => mapError(err, shown));
        try {
          const st = await fh.stat();
          if (!st.isFile() && !st.isDirectory()) throw fail.notFile(shown);
          if (st.isFile() && st.nlink > 1) throw fail.hardLink(shown);
          await fh.chmod(mode);
        } finally {
          await fh.close();
        }
      });
    },
  };
}
