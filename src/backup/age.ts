// age encryption of backups, in the format of the age tool (so `age -d` decrypts them too): to X25519 recipients
// ("age1…", whose identities can stay off the machine) or with a passphrase (scrypt). The header (key wrapping and
// its MAC) is the age-encryption package's; the payload, age's STREAM of 64 KiB ChaCha20-Poly1305 chunks, is
// encrypted with Node's own (OpenSSL) ChaCha20-Poly1305, several times faster than JavaScript for large backups.
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { AppError } from '../shared/errors.ts';

/**
 * Who can open a backup: recipients' public keys, or one passphrase. With recipients, `identity` is the identity of one
 * of them (the panel's own): the file key is read back from the header with it.
 */
export type Sealing = { recipients: readonly string[]; identity: string } | { passphrase: string };
/** What opens a backup: identities ("AGE-SECRET-KEY-1…") and/or passphrases. */
export type Opening = { identities?: readonly string[]; passphrases?: readonly string[] };

const CHUNK = 64 * 1024;
const TAG = 16;
const NONCE = 16;
/** The header is a few lines per recipient; anything longer is not an age file this panel made. */
const MAX_HEADER = 1024 * 1024;

const cannotDecrypt = (why: string) => new AppError(400, 'cannot_decrypt', `The backup cannot be opened with what was given (${why}).`);

/** The payload key: HKDF-SHA-256 of the file key, salted with the payload's nonce (age's "payload" label). */
const payloadKey = (fileKey: Uint8Array, nonce: Uint8Array) => Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));

/** A chunk's nonce: its number as 11 big-endian bytes, then 1 for the last chunk, 0 for the others. */
function chunkNonce(counter: bigint, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(counter, 3);
  n[11] = last ? 1 : 0;
  return n;
}

function sealChunk(key: Buffer, counter: bigint, last: boolean, plain: Buffer): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, chunkNonce(counter, last), { authTagLength: TAG });
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

function openChunk(key: Buffer, counter: bigint, last: boolean, sealed: Buffer): Buffer {
  const d = createDecipheriv('chacha20-poly1305', key, chunkNonce(counter, last), { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
}

/** Where the header ends: after its MAC line ("--- …\n"), or -1 when not yet seen. */
function headerEnd(buf: Buffer): number {
  const mac = buf.indexOf('\n--- ');
  if (mac === -1) return -1;
  const nl = buf.indexOf(0x0a, mac + 1);
  return nl === -1 ? -1 : nl + 1;
}

/**
 * A stream of fixed-size records: every full record but the last is handed to `each` as soon as a byte beyond it has
 * arrived, so the last one (which may be full) is known at the end and handed over with last = true.
 */
function records(size: number, each: (record: Buffer, last: boolean, push: (b: Buffer) => void) => void): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes > size) {
          let all = Buffer.concat(pending, pendingBytes);
          let at = 0;
          while (all.length - at > size) {
            each(all.subarray(at, at + size), false, (b) => this.push(b));
            at += size;
          }
          all = all.subarray(at);
          pending = [all];
          pendingBytes = all.length;
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        each(Buffer.concat(pending, pendingBytes), true, (b) => this.push(b));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** The readable's bytes, encrypted as one age file. */
export async function encryptStream(input: Readable, sealing: Sealing): Promise<Readable> {
  const e = new Encrypter();
  if ('passphrase' in sealing) e.setPassphrase(sealing.passphrase);
  else {
    if (sealing.recipients.length === 0) throw new AppError(400, 'no_recipients', 'Backups need at least one age recipient or a passphrase.');
    for (const r of sealing.recipients) e.addRecipient(r);
  }
  // The library writes the header (the file key wrapped for each recipient, and its MAC) and a random payload nonce;
  // the file key is read back from that header, and the payload is written here.
  const empty = Buffer.from(await e.encrypt(new Uint8Array(0)));
  const end = headerEnd(empty);
  if (end === -1 || empty.length !== end + NONCE + TAG) throw new Error('unexpected age header');
  const header = empty.subarray(0, end);
  const nonce = empty.subarray(end, end + NONCE);
  const d = new Decrypter();
  if ('passphrase' in sealing) d.addPassphrase(sealing.passphrase);
  else d.addIdentity(sealing.identity);
  const key = payloadKey(await d.decryptHeader(header), nonce);
  let counter = 0n;
  const payload = records(CHUNK, (plain, last, push) => {
    push(sealChunk(key, counter, last, plain));
    counter += 1n;
  });
  // A failure on either side destroys both; it reaches the reader through the stream returned below.
  pipeline(input, payload, () => undefined);
  const prefix = Buffer.concat([header, nonce]);
  return Readable.from(
    (async function* () {
      yield prefix;
      yield* payload;
    })(),
    { objectMode: false },
  );
}

/** The plaintext of an age file; refused (400 cannot_decrypt) when nothing given opens it. */
export async function decryptStream(input: Readable, opening: Opening): Promise<Readable> {
  if (!opening.passphrases?.length && !opening.identities?.length) {
    throw new AppError(400, 'cannot_decrypt', 'Give the backup passphrase (AETHER_BACKUP_PASSPHRASE) or an age identity file to open it.');
  }
  // The header and the payload nonce first.
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let end = -1;
  while (end === -1 || head.length < end + NONCE) {
    const next = await iterator.next();
    if (next.done) throw cannotDecrypt('not an age file, or cut short');
    head = Buffer.concat([head, next.value]);
    if (end === -1) end = headerEnd(head);
    if (end === -1 && head.length > MAX_HEADER) throw cannotDecrypt('not an age file');
  }
  const d = new Decrypter();
  for (const p of opening.passphrases ?? []) d.addPassphrase(p);
  for (const i of opening.identities ?? []) d.addIdentity(i);
  let fileKey: Uint8Array;
  try {
    fileKey = await d.decryptHeader(head.subarray(0, end));
  } catch (err) {
    throw cannotDecrypt(err instanceof Error ? err.message : 'not an age file');
  }
  const key = payloadKey(fileKey, head.subarray(end, end + NONCE));
  let counter = 0n;
  const payload = records(CHUNK + TAG, (sealed, last, push) => {
    if (sealed.length < TAG || (last && sealed.length === TAG && counter > 0n)) throw new Error('the backup is cut short');
    let plain: Buffer;
    try {
      plain = openChunk(key, counter, last, sealed);
    } catch {
      throw new Error('the backup was altered or damaged (a chunk fails its authentication)');
    }
    counter += 1n;
    push(plain);
  });
  const rest = head.subarray(end + NONCE);
  const source = Readable.from(
    (async function* () {
      if (rest.length) yield rest;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  source.on('error', (err) => payload.destroy(err));
  return source.pipe(payload);
}

/** A new X25519 identity and its recipient, for `aether backup keygen`. */
export async function newIdentity(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** The recipient (public key) of an identity. */
export const recipientOf = (identity: string): Promise<string> => identityToRecipient(identity);

/** Whether a string is an age X25519 recipient. */
export const isRecipient = (s: string) => /^age1[02-9ac-hj-np-z]{58}$/.test(s);
