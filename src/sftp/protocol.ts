// The SFTP version 3 wire format (draft-ietf-secsh-filexfer-02, as OpenSSH speaks it): packet framing, the request and
// response codes, attributes, and the OpenSSH extensions the server offers.

export const FXP = {
  INIT: 1,
  VERSION: 2,
  OPEN: 3,
  CLOSE: 4,
  READ: 5,
  WRITE: 6,
  LSTAT: 7,
  FSTAT: 8,
  SETSTAT: 9,
  FSETSTAT: 10,
  OPENDIR: 11,
  READDIR: 12,
  REMOVE: 13,
  MKDIR: 14,
  RMDIR: 15,
  REALPATH: 16,
  STAT: 17,
  RENAME: 18,
  READLINK: 19,
  SYMLINK: 20,
  STATUS: 101,
  HANDLE: 102,
  DATA: 103,
  NAME: 104,
  ATTRS: 105,
  EXTENDED: 200,
  EXTENDED_REPLY: 201,
} as const;

export const STATUS = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, BAD_MESSAGE: 5, OP_UNSUPPORTED: 8 } as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

export const OPEN_FLAGS = { READ: 0x01, WRITE: 0x02, APPEND: 0x04, CREAT: 0x08, TRUNC: 0x10, EXCL: 0x20 } as const;
export const ATTR = { SIZE: 0x01, UIDGID: 0x02, PERMISSIONS: 0x04, ACMODTIME: 0x08, EXTENDED: 0x80000000 } as const;

/** Largest packet accepted from a client, and the largest read or write answered (what limits@openssh.com says). */
export const MAX_PACKET = 256 * 1024;
export const MAX_READ = 255 * 1024;
export const MAX_WRITE = 255 * 1024;
/** Open handles per session. */
export const MAX_HANDLES = 256;

export type Attrs = { size?: number; uid?: number; gid?: number; mode?: number; atime?: number; mtime?: number };

export class BadMessage extends Error {}

/** Reads the fields of one request packet, refusing to read past its end. */
export class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new BadMessage('packet too short');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.at);
    this.at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadMessage('offset too large');
    return Number(v);
  }
  bytes(): Buffer {
    const len = this.u32();
    this.need(len);
    const v = this.buf.subarray(this.at, this.at + len);
    this.at += len;
    return v;
  }
  string(): string {
    return this.bytes().toString('utf8');
  }
  attrs(): Attrs {
    const flags = this.u32();
    const a: Attrs = {};
    if (flags & ATTR.SIZE) a.size = this.u64();
    if (flags & ATTR.UIDGID) {
      a.uid = this.u32();
      a.gid = this.u32();
    }
    if (flags & ATTR.PERMISSIONS) a.mode = this.u32();
    if (flags & ATTR.ACMODTIME) {
      a.atime = this.u32();
      a.mtime = this.u32();
    }
    if (flags & ATTR.EXTENDED) {
      const count = this.u32();
      for (let i = 0; i < count; i += 1) {
        this.bytes();
        this.bytes();
      }
    }
    return a;
  }
}

/** Builds one response packet: its length is filled in by done(). */
export class Writer {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(type: number, id?: number) {
    this.put(Buffer.from([0, 0, 0, 0, type]));
    if (id !== undefined) this.u32(id);
  }
  private put(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  u32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(v >>> 0);
    return this.put(b);
  }
  u64(v: number): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(v))));
    return this.put(b);
  }
  bytes(v: Buffer): this {
    return this.u32(v.length).put(v);
  }
  string(v: string): this {
    return this.bytes(Buffer.from(v, 'utf8'));
  }
  attrs(a: Attrs): this {
    let flags = 0;
    if (a.size !== undefined) flags |= ATTR.SIZE;
    if (a.uid !== undefined && a.gid !== undefined) flags |= ATTR.UIDGID;
    if (a.mode !== undefined) flags |= ATTR.PERMISSIONS;
    if (a.atime !== undefined && a.mtime !== undefined) flags |= ATTR.ACMODTIME;
    this.u32(flags);
    if (a.size !== undefined) this.u64(a.size);
    if (flags & ATTR.UIDGID) this.u32(a.uid!).u32(a.gid!);
    if (a.mode !== undefined) this.u32(a.mode);
    if (flags & ATTR.ACMODTIME) this.u32(a.atime!).u32(a.mtime!);
    return this;
  }
  done(): Buffer {
    const out = Buffer.concat(this.parts, this.size);
    out.writeUInt32BE(this.size - 4, 0);
    return out;
  }
}

/** Splits a byte stream into SFTP packets (length-prefixed), refusing oversized ones. */
export class Framer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes needed before the next packet is complete: its length prefix, then the whole of it. */
  private need = 4;

  /** The complete packets (type byte first) in what has arrived so far. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // A large WRITE arrives in many channel chunks: they are joined once, when the packet is whole, not at each chunk.
    if (this.pendingBytes < this.need) return [];
    const out: Buffer[] = [];
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    this.need = 4;
    while (buf.length - at >= 4) {
      const len = buf.readUInt32BE(at);
      if (len === 0 || len > MAX_PACKET + 1024) throw new BadMessage(`packet of ${len} bytes`);
      if (buf.length - at - 4 < len) {
        this.need = 4 + len;
        break;
      }
      out.push(buf.subarray(at + 4, at + 4 + len));
      at += 4 + len;
    }
    buf = buf.subarray(at);
    this.pending = buf.length ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }
}

/** The OpenSSH extension limits@openssh.com: the largest packet, read and write, and open handles. */
export function limitsReply(id: number): Buffer {
  return new Writer(FXP.EXTENDED_REPLY, id).u64(MAX_PACKET).u64(MAX_READ).u64(MAX_WRITE).u64(MAX_HANDLES).done();
}

/** The VERSION answer to INIT: version 3 and the extensions this server implements. */
export function versionPacket(): Buffer {
  const w = new Writer(FXP.VERSION).u32(3);
  for (const [name, data] of [
    ['posix-rename@openssh.com', '1'],
    ['fsync@openssh.com', '1'],
    ['limits@openssh.com', '1'],
  ] as const) {
    w.string(name).string(data);
  }
  return w.done();
}
