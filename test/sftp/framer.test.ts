// SFTP packets cut out of the channel's byte stream however it is chunked: whole, split at any byte, several at once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BadMessage, Framer, MAX_PACKET } from '../../src/sftp/protocol.ts';

const frame = (body: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (body.length >>> (24 - 8 * i)) & 255)), body]);

test('packets come out whole and in order, whatever the chunking', () => {
  const bodies = [randomBytes(1), randomBytes(9), randomBytes(200_000), randomBytes(3), randomBytes(MAX_PACKET)];
  const stream = Buffer.concat(bodies.map(frame));
  for (const size of [1, 3, 4, 5, 4096, 32_768, 100_000, stream.length]) {
    const framer = new Framer();
    const out: Buffer[] = [];
    for (let at = 0; at < stream.length; at += size) out.push(...framer.push(stream.subarray(at, at + size)));
    assert.equal(out.length, bodies.length, `chunks of ${size}`);
    out.forEach((b, i) => assert.ok(b.equals(bodies[i]!), `packet ${i} with chunks of ${size}`));
  }
});

test('a packet longer than the limit, or of length 0, is refused as soon as its length is seen', () => {
  assert.throws(() => new Framer().push(Buffer.from([0, 0x10, 0, 0, 1])), BadMessage);
  assert.throws(() => new Framer().push(Buffer.from([0, 0, 0, 0])), BadMessage);
  const framer = new Framer();
  assert.deepEqual(framer.push(Buffer.from([0, 0x10])), []);
  assert.throws(() => framer.push(Buffer.from([0, 0])), BadMessage);
});
