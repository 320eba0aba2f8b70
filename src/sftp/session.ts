// One SFTP session: the requests of one client on one server's files, answered through the confined filesystem.
// Reading needs server.files.view, writing server.files.edit, asked again on every request (a scope taken away stops
// the next one). Requests are answered as they complete (SFTP allows it): a client with many in flight goes at full
// speed, and a slow reader of our answers pauses the client's channel instead of filling memory.
import type { FileHandle } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import type { ConfinedFs, Entry } from '../files/index.ts';
import { displayPath, splitPath } from '../files/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { BadMessage, FXP, Framer, limitsReply, MAX_HANDLES, MAX_READ, MAX_WRITE, OPEN_FLAGS, Reader, STATUS, versionPacket, Writer, type Attrs, type StatusCode } from './protocol.ts';

export type SessionAccess = { canRead(): boolean; canWrite(): boolean };
export type SessionAudit = (action: string, details: Record<string, unknown>, outcome?: 'success' | 'denied') => void;

type FileEntry = { kind: 'file'; path: string; handle: FileHandle; write: boolean; size: number; written: boolean; pending: Set<Promise<unknown>>; commit(): Promise<void>; discard(): Promise<void> };
type DirEntry = { kind: 'dir'; path: string; entries: Entry[]; at: number };

/** Requests being answered at once before the channel is paused. */
const MAX_IN_FLIGHT = 128;
/** Entries per READDIR answer. */
const DIR_BATCH = 128;
/** How long a measured disk use is trusted while writing (it is measured again after). */
const QUOTA_REFRESH_MS = 5_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TYPE_BITS: Record<Entry['type'], number> = { file: 0o100000, directory: 0o040000, symlink: 0o120000, other: 0o010000 };

function attrsOf(e: Entry): Attrs {
  const t = Math.floor(e.modifiedAt.getTime() / 1000);
  return { size: e.size, uid: 0, gid: 0, mode: TYPE_BITS[e.type] | (e.mode & 0o777), atime: t, mtime: t };
}

/** The `ls -l` line clients show. */
function longname(e: Entry): string {
  const mode = e.mode & 0o777;
  const rwx = [6, 3, 0].map((shift) => ((mode >> shift) & 4 ? 'r' : '-') + ((mode >> shift) & 2 ? 'w' : '-') + ((mode >> shift) & 1 ? 'x' : '-')).join('');
  const type = { file: '-', directory: 'd', symlink: 'l', other: 'p' }[e.type];
  const d = e.modifiedAt;
  const date = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${type}${rwx}    1 server   server   ${String(e.size).padStart(8)} ${date} ${e.name}`;
}

/**
 * A client's path made absolute in the server's files, as in a chroot: "." dropped, ".." taking back one name and
 * never going above the root. Only text is changed here: the names are checked as they are opened.
 */
export function sftpPath(input: string): string {
  const out: string[] = [];
  for (const part of input.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** A panel error as an SFTP status: what is missing, what is refused, what failed (with the panel's message). */
function statusOf(err: unknown): [StatusCode, string] {
  if (err instanceof AppError) {
    if (err.status === 404) return [STATUS.NO_SUCH_FILE, err.message];
    if (err.status === 403) return [STATUS.PERMISSION_DENIED, err.message];
    if (err.code === 'invalid_path') return [STATUS.NO_SUCH_FILE, err.message];
    return [STATUS.FAILURE, err.message];
  }
  if (err instanceof BadMessage) return [STATUS.BAD_MESSAGE, 'Malformed request.'];
  return [STATUS.FAILURE, 'The request failed.'];
}

export function runSftpSession(
  channel: Duplex,
  deps: {
    fs: ConfinedFs;
    access: SessionAccess;
    audit: SessionAudit;
    logger: Logger;
    /** The connection's socket: the answers sent in one tick leave in one write (fewer system calls on downloads). */
    socket?: { cork(): void; uncork(): void } | null;
  },
): { close(): void } {
  const { fs, access, audit, logger } = deps;
  const framer = new Framer();
  const handles = new Map<string, FileEntry | DirEntry>();
  let nextHandle = 1;
  let inFlight = 0;
  let paused = false;
  let closed = false;
  let initialised = false;
  let quota: { left: number; at: number } | null = null;

  let corked = false;
  const uncork = () => {
    corked = false;
    deps.socket!.uncork();
  };
  const send = (packet: Buffer) => {
    if (closed) return;
    if (deps.socket && !corked) {
      corked = true;
      deps.socket.cork();
      process.nextTick(uncork);
    }
    if (!channel.write(packet) && !paused) {
      paused = true;
      channel.pause();
      channel.once('drain', () => {
        paused = false;
        if (inFlight < MAX_IN_FLIGHT) channel.resume();
      });
    }
  };
  const status = (id: number, code: StatusCode, message = '') => send(new Writer(FXP.STATUS, id).u32(code).string(message).string('en').done());
  const ok = (id: number) => status(id, STATUS.OK);

  const handleOf = (r: Reader): { key: string; entry: FileEntry | DirEntry } => {
    const key = r.bytes().toString('latin1');
    const entry = handles.get(key);
    if (!entry) throw new AppError(400, 'invalid_handle', 'No such handle.');
    return { key, entry };
  };
  const newHandle = (entry: FileEntry | DirEntry): Buffer => {
    if (handles.size >= MAX_HANDLES) throw new AppError(400, 'too_many_handles', `At most ${MAX_HANDLES} open files per session.`);
    const key = String(nextHandle++);
    handles.set(key, entry);
    return Buffer.from(key, 'latin1');
  };
  const needRead = () => {
    if (!access.canRead()) throw new AppError(403, 'forbidden', 'You may not read this server\'s files (server.files.view).');
  };
  const needWrite = () => {
    if (!access.canWrite()) throw new AppError(403, 'forbidden', 'You may not change this server\'s files (server.files.edit).');
  };
  /** Audits a change (unless told not to); an attempt to reach outside the files is audited as denied. */
  const changed = async <T>(action: string, details: Record<string, unknown>, op: () => Promise<T>, recordSuccess = true): Promise<T> => {
    try {
      const out = await op();
      if (recordSuccess) audit(action, details);
      return out;
    } catch (err) {
      if (err instanceof AppError && (err.code === 'unsafe_path' || err.code === 'unsafe_file')) audit(action, { ...details, reason: err.code }, 'denied');
      throw err;
    }
  };
  const quotaLeft = async (): Promise<number> => {
    if (!quota || Date.now() - quota.at > QUOTA_REFRESH_MS) quota = { left: await fs.quotaLeft(), at: Date.now() };
    return quota.left;
  };

  async function closeEntry(entry: FileEntry | DirEntry): Promise<void> {
    if (entry.kind !== 'file') return;
    await Promise.allSettled([...entry.pending]);
    if (entry.write) {
      await entry.commit();
      if (entry.written) audit('written', { path: entry.path });
    } else {
      await entry.handle.close();
    }
  }

  async function handle(type: number, id: number, r: Reader): Promise<void> {
    switch (type) {
      case FXP.OPEN: {
        const path = sftpPath(r.string());
        const flags = r.u32();
        r.attrs();
        const write = (flags & (OPEN_FLAGS.WRITE | OPEN_FLAGS.APPEND | OPEN_FLAGS.CREAT | OPEN_FLAGS.TRUNC)) !== 0;
        if (write) {
          needWrite();
          if (flags & OPEN_FLAGS.READ) needRead();
          // Audited once the file is closed (written); only a refused escape is audited here.
          const opened = await changed(
            'written',
            { path },
            () => fs.openWrite(path, { create: (flags & OPEN_FLAGS.CREAT) !== 0, truncate: (flags & OPEN_FLAGS.TRUNC) !== 0, exclusive: (flags & OPEN_FLAGS.EXCL) !== 0 }),
            false,
          );
          const key = newHandle({ kind: 'file', path: displayPath(splitPath(path)), handle: opened.handle, write: true, size: opened.size, written: false, pending: new Set(), commit: opened.commit, discard: opened.discard });
          return send(new Writer(FXP.HANDLE, id).bytes(key).done());
        }
        needRead();
        const file = await changed('read', { path }, () => fs.openRead(path), false);
        const key = newHandle({ kind: 'file', path, handle: file.handle, write: false, size: file.size, written: false, pending: new Set(), commit: async () => undefined, discard: () => file.handle.close() });
        return send(new Writer(FXP.HANDLE, id).bytes(key).done());
      }
      case FXP.READ: {
        const { entry } = handleOf(r);
        const offset = r.u64();
        const len = Math.min(r.u32(), MAX_READ);
        if (entry.kind !== 'file') throw new AppError(400, 'invalid_handle', 'Not a file handle.');
        needRead();
        // The DATA packet's 13-byte header and the data in one buffer, read into place: no copy on the way out.
        const buf = Buffer.allocUnsafe(13 + len);
        const read = entry.handle.read(buf, 13, len, offset);
        entry.pending.add(read);
        try {
          const { bytesRead } = await read;
          if (bytesRead === 0) return status(id, STATUS.EOF, 'End of file');
          buf.writeUInt32BE(9 + bytesRead, 0);
          buf[4] = FXP.DATA;
          buf.writeUInt32BE(id, 5);
          buf.writeUInt32BE(bytesRead, 9);
          return send(buf.subarray(0, 13 + bytesRead));
        } finally {
          entry.pending.delete(read);
        }
      }
      case FXP.WRITE: {
        const { entry } = handleOf(r);
        const offset = r.u64();
        const data = r.bytes();
        if (entry.kind !== 'file' || !entry.write) throw new AppError(400, 'invalid_handle', 'Not a file opened for writing.');
        if (data.length > MAX_WRITE) throw new BadMessage('write too large');
        needWrite();
        const growth = Math.max(0, offset + data.length - entry.size);
        if (growth > 0) {
          const left = await quotaLeft();
          if (growth > left) throw new AppError(413, 'disk_limit_exceeded', 'This would go past the server\'s disk limit.');
          quota!.left -= growth;
          entry.size += growth;
        }
        const write = (async () => {
          for (let done = 0; done < data.length; ) done += (await entry.handle.write(data, done, data.length - done, offset + done)).bytesWritten;
        })();
        entry.pending.add(write);
        try {
          await write;
        } finally {
          entry.pending.delete(write);
        }
        entry.written = true;
        return ok(id);
      }
      case FXP.CLOSE: {
        const { key, entry } = handleOf(r);
        handles.delete(key);
        await closeEntry(entry);
        return ok(id);
      }
      case FXP.OPENDIR: {
        const path = sftpPath(r.string());
        needRead();
        const listed = await changed('listed', { path }, () => fs.list(path), false);
        const key = newHandle({ kind: 'dir', path, entries: listed.entries, at: 0 });
        return send(new Writer(FXP.HANDLE, id).bytes(key).done());
      }
      case FXP.READDIR: {
        const { entry } = handleOf(r);
        if (entry.kind !== 'dir') throw new AppError(400, 'invalid_handle', 'Not a directory handle.');
        needRead();
        const batch = entry.entries.slice(entry.at, entry.at + DIR_BATCH);
        entry.at += batch.length;
        if (batch.length === 0) return status(id, STATUS.EOF, 'End of directory');
        const w = new Writer(FXP.NAME, id).u32(batch.length);
        for (const e of batch) w.string(e.name).string(longname(e)).attrs(attrsOf(e));
        return send(w.done());
      }
      case FXP.STAT:
      case FXP.LSTAT: {
        const path = sftpPath(r.string());
        needRead();
        // A link is described as a link, never followed: STAT and LSTAT answer alike.
        return send(new Writer(FXP.ATTRS, id).attrs(attrsOf(await fs.stat(path))).done());
      }
      case FXP.FSTAT: {
        const { entry } = handleOf(r);
        needRead();
        if (entry.kind !== 'file') return send(new Writer(FXP.ATTRS, id).attrs(attrsOf(await fs.stat(entry.path))).done());
        const st = await entry.handle.stat();
        const t = Math.floor(st.mtimeMs / 1000);
        return send(new Writer(FXP.ATTRS, id).attrs({ size: st.size, uid: 0, gid: 0, mode: st.mode, atime: t, mtime: t }).done());
      }
      case FXP.SETSTAT:
      case FXP.FSETSTAT: {
        let path: string;
        if (type === FXP.SETSTAT) path = sftpPath(r.string());
        else path = handleOf(r).entry.path;
        const a = r.attrs();
        needWrite();
        if (a.mode !== undefined) await changed('chmod', { path, mode: `0${(a.mode & 0o777).toString(8)}` }, () => fs.chmod(path, a.mode! & 0o777));
        if (a.size !== undefined || a.mtime !== undefined) await changed('touched', { path }, () => fs.setAttrs(path, { size: a.size, atime: a.atime, mtime: a.mtime }));
        // Owners are the container's; a change of owner is not for clients, and is left alone.
        return ok(id);
      }
      case FXP.REMOVE: {
        const path = sftpPath(r.string());
        needWrite();
        const st = await fs.stat(path);
        if (st.type === 'directory') throw new AppError(400, 'not_a_file', `${path} is a directory.`);
        await changed('deleted', { path }, () => fs.remove(path));
        return ok(id);
      }
      case FXP.RMDIR: {
        const path = sftpPath(r.string());
        needWrite();
        const st = await fs.stat(path);
        if (st.type !== 'directory') throw new AppError(400, 'not_a_directory', `${path} is not a directory.`);
        await changed('deleted', { path }, () => fs.remove(path));
        return ok(id);
      }
      case FXP.MKDIR: {
        const path = sftpPath(r.string());
        r.attrs();
        needWrite();
        await changed('mkdir', { path }, () => fs.mkdir(path));
        return ok(id);
      }
      case FXP.RENAME: {
        const from = sftpPath(r.string());
        const to = sftpPath(r.string());
        needWrite();
        await changed('renamed', { from, to }, () => fs.rename(from, to));
        return ok(id);
      }
      case FXP.REALPATH: {
        const path = displayPath(splitPath(sftpPath(r.string())));
        return send(new Writer(FXP.NAME, id).u32(1).string(path).string(path).attrs({}).done());
      }
      case FXP.READLINK:
      case FXP.SYMLINK:
        r.string();
        throw new AppError(403, 'links_refused', 'Symbolic links in server files are never followed or made.');
      case FXP.EXTENDED: {
        const name = r.string();
        if (name === 'limits@openssh.com') return send(limitsReply(id));
        if (name === 'posix-rename@openssh.com') {
          const from = sftpPath(r.string());
          const to = sftpPath(r.string());
          needWrite();
          await changed('renamed', { from, to }, () => fs.rename(from, to, { overwrite: true }));
          return ok(id);
        }
        if (name === 'fsync@openssh.com') {
          const { entry } = handleOf(r);
          if (entry.kind === 'file') await entry.handle.sync();
          return ok(id);
        }
        return status(id, STATUS.OP_UNSUPPORTED, `${name.slice(0, 60)} is not supported.`);
      }
      default:
        return status(id, STATUS.OP_UNSUPPORTED, 'Not supported.');
    }
  }

  function onPacket(packet: Buffer): void {
    const r = new Reader(packet);
    const type = r.u8();
    if (!initialised) {
      if (type !== FXP.INIT) throw new BadMessage('expected INIT');
      initialised = true;
      send(versionPacket());
      return;
    }
    const id = r.u32();
    inFlight += 1;
    if (inFlight >= MAX_IN_FLIGHT && !paused) channel.pause();
    handle(type, id, r)
      .catch((err: unknown) => {
        if (!(err instanceof AppError) && !(err instanceof BadMessage)) logger.error({ err, type }, 'SFTP request failed');
        const [code, message] = statusOf(err);
        status(id, code, message);
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight < MAX_IN_FLIGHT && !paused && !closed) channel.resume();
      });
  }

  channel.on('data', (chunk: Buffer) => {
    try {
      for (const packet of framer.push(chunk)) onPacket(packet);
    } catch (err) {
      logger.warn({ err }, 'SFTP protocol error; session ended');
      close();
    }
  });
  // The client is done (its end of the channel closed): answer what is in flight, close the files, then the channel.
  channel.on('end', () => {
    const finish = () => {
      if (inFlight > 0) return void setTimeout(finish, 5);
      close();
    };
    finish();
  });
  channel.on('close', () => void cleanup());
  channel.on('error', () => void cleanup());
  // The channel may have been held (paused) until the session was ready.
  channel.resume();

  async function cleanup(): Promise<void> {
    if (closed) return;
    closed = true;
    const open = [...handles.values()];
    handles.clear();
    // A session that ends mid-upload leaves the old file as it was: the new one is dropped.
    for (const entry of open) {
      if (entry.kind === 'file') await Promise.allSettled([...entry.pending]).then(() => entry.discard().catch(() => undefined));
    }
  }

  function close(): void {
    void cleanup().then(() => {
      channel.end();
      channel.destroy();
    });
  }

  return { close };
}
