// The age format, both ways and with the age tool: what the panel encrypts, the age-encryption library and Debian's
// `age -d` decrypt; what they encrypt, the panel decrypts; at every chunk boundary; and an altered or cut backup fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { Decrypter, Encrypter } from 'age-encryption';
import { decryptStream, encryptStream, newIdentity } from '../../src/backup/age.ts';
import { needs } from '../helpers/require-component.ts';

const HAS_AGE = spawnSync('age', ['--version']).error === undefined;
const SIZES = [0, 1, 65_535, 65_536, 65_537, 131_072, 200_000];

async function collect(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
/** Bytes in chunks of odd sizes, as a file or socket delivers them. */
const feed = (b: Buffer) => Readable.from((function* () {
  for (let at = 0; at < b.length; at += 7_777) yield b.subarray(at, at + 7_777);
})());

test('the panel\'s age files open with the library and the age tool, theirs with the panel, at every chunk boundary', async (t) => {
  const { identity, recipient } = await newIdentity();
  const dir = mkdtempSync(join(tmpdir(), 'aether-age-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const idFile = join(dir, 'id.txt');
  writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
  const withAge = needs(t, 'age', HAS_AGE, 'not found: apt-get install age');
  for (const size of SIZES) {
    const plain = randomBytes(size);
    const ours = await collect(await encryptStream(feed(plain), { recipients: [recipient], identity }));
    const d = new Decrypter();
    d.addIdentity(identity);
    assert.ok(Buffer.from(await d.decrypt(ours)).equals(plain), `library opens ours, ${size} bytes`);
    if (withAge) {
      const file = join(dir, `ours-${size}.age`);
      writeFileSync(file, ours);
      const run = spawnSync('age', ['-d', '-i', idFile, file], { maxBuffer: 1 << 24 });
      assert.equal(run.status, 0, run.stderr.toString());
      assert.ok(run.stdout.equals(plain), `age opens ours, ${size} bytes`);
    }
    const e = new Encrypter();
    e.addRecipient(recipient);
    const theirs = Buffer.from(await e.encrypt(plain));
    assert.ok((await collect(await decryptStream(feed(theirs), { identities: [identity] }))).equals(plain), `ours opens the library's, ${size} bytes`);
  }
});

test('a passphrase works both ways; a wrong one, an altered chunk or a cut file is refused', async () => {
  const plain = randomBytes(150_000);
  const sealed = await collect(await encryptStream(feed(plain), { passphrase: 'correct horse battery staple' }));
  assert.ok((await collect(await decryptStream(feed(sealed), { passphrases: ['correct horse battery staple'] }))).equals(plain));
  await assert.rejects(decryptStream(feed(sealed), { passphrases: ['wrong'] }), /cannot be opened/);

  const { identity, recipient } = await newIdentity();
  const good = await collect(await encryptStream(feed(plain), { recipients: [recipient], identity }));
  const altered = Buffer.from(good);
  altered[altered.length - 70_000]! ^= 1;
  await assert.rejects(collect(await decryptStream(feed(altered), { identities: [identity] })), /altered or damaged/);
  // Cut inside the last chunk, and cut exactly after a full chunk (then that one is not marked last).
  await assert.rejects(collect(await decryptStream(feed(good.subarray(0, good.length - 100)), { identities: [identity] })), /altered or damaged|cut short/);
  const lastChunk = (150_000 % 65_536) + 16;
  await assert.rejects(collect(await decryptStream(feed(good.subarray(0, good.length - lastChunk)), { identities: [identity] })), /altered or damaged|cut short/);
  await assert.rejects(decryptStream(feed(Buffer.from('not an age file at all')), { identities: [identity] }), /cannot be opened/);
});
