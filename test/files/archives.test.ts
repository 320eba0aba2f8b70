// Archives on real files: tar.gz and zip round trips (links left out), and hostile archives refused whole before
// anything is written: zip-slip ("..", absolute names), link and device entries, bombs by size and by entry count.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { after, beforeEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import { createArchive, extractArchive } from '../../src/files/archives.ts';
import { createConfinedFs } from '../../src/files/confined-fs.ts';
import { AppError } from '../../src/shared/errors.ts';

const base = mkdtempSync(join(tmpdir(), 'aether-archives-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const LIMITS = { maxEntries: 1000, maxBytes: 20 * 1024 * 1024 };

type TarEntry = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device'; data?: Buffer; linkname?: string };

/** A tar (gzipped unless told) with exactly these headers, hostile names included. */
async function makeTar(entries: TarEntry[], gzip = true): Promise<Buffer> {
  const pack = tar.pack();
  const out = collect(pack as unknown as Readable);
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') pack.entry({ name: e.name, size: e.data?.length ?? 0 }, e.data ?? Buffer.alloc(0));
    else pack.entry({ name: e.name, type, ...(e.linkname ? { linkname: e.linkname } : {}) });
  }
  pack.finalize();
  const raw = await out;
  return gzip ? gzipSync(raw) : raw;
}

/** A zip of these files; names are written as given (yazl refuses "..", so they are patched in afterwards). */
async function makeZip(entries: Array<{ name: string; data: Buffer; mode?: number }>, patch: Array<[string, string]> = []): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, e.mode ? { mode: e.mode } : {});
  zip.end();
  let buf = await collect(zip.outputStream);
  for (const [from, to] of patch) {
    assert.equal(from.length, to.length);
    buf = Buffer.from(buf.toString('latin1').split(from).join(to), 'latin1');
  }
  return buf;
}

async function refused(p: Promise<unknown>, status: number, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.deepEqual([err.status, err.code], [status, code], err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('archives', () => {
  beforeEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'keep');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  const untouched = () => {
    assert.deepEqual(readdirSync(outside), ['keep.txt']);
    assert.ok(!existsSync(join(base, 'evil.txt')) && !existsSync('/tmp/aether-evil.txt'));
  };

  for (const format of ['tar.gz', 'zip'] as const) {
    test(`${format}: made from files and directories (links left out), extracted back the same`, async () => {
      const fs = createConfinedFs({ root });
      mkdirSync(join(root, 'world', 'region'), { recursive: true });
      writeFileSync(join(root, 'world', 'level.dat'), 'level');
      writeFileSync(join(root, 'world', 'region', 'r.0.0.mca'), Buffer.alloc(100_000, 3));
      writeFileSync(join(root, 'world', 'empty.txt'), '');
      writeFileSync(join(root, 'server.properties'), 'motd=hi\n');
      symlinkSync(outside, join(root, 'world', 'escape'));
      const made = await createArchive(fs, ['/world', '/server.properties'], `/backup.${format}`, format, 1e9);
      assert.equal(made.skipped, 1, 'the link is left out');
      assert.equal(made.entries, 6);
      await extractArchive(fs, `/backup.${format}`, '/restored', LIMITS);
      assert.equal(readFileSync(join(root, 'restored', 'world', 'level.dat'), 'utf8'), 'level');
      assert.deepEqual(readFileSync(join(root, 'restored', 'world', 'region', 'r.0.0.mca')), Buffer.alloc(100_000, 3));
      assert.equal(readFileSync(join(root, 'restored', 'world', 'empty.txt'), 'utf8'), '');
      assert.equal(readFileSync(join(root, 'restored', 'server.properties'), 'utf8'), 'motd=hi\n');
      assert.ok(!existsSync(join(root, 'restored', 'world', 'escape')));
      untouched();
    });
  }

  test('zip-slip: ".." and absolute names refuse the whole archive; nothing is written', async () => {
    const fs = createConfinedFs({ root });
    const cases: Array<[string, Buffer]> = [
      ['dotdot.tar.gz', await makeTar([{ name: 'fine.txt', data: Buffer.from('ok') }, { name: '../../evil.txt', data: Buffer.from('evil') }])],
      ['absolute.tar.gz', await makeTar([{ name: '/tmp/aether-evil.txt', data: Buffer.from('evil') }])],
      ['middle.tar', await makeTar([{ name: 'a/../../evil.txt', data: Buffer.from('evil') }], false)],
      ['dotdot.zip', await makeZip([{ name: 'fine.txt', data: Buffer.from('ok') }, { name: 'xx/xx/evil.txt', data: Buffer.from('evil') }], [['xx/xx/evil.txt', '../../evil.txt']])],
    ];
    for (const [name, data] of cases) {
      writeFileSync(join(root, name), data);
      await refused(extractArchive(fs, `/${name}`, '/out', LIMITS), 400, 'unsafe_archive');
      assert.ok(!existsSync(join(root, 'out')), `${name}: nothing extracted`);
    }
    untouched();
  });

  test('links and devices in an archive refuse it: a symlink to the host, a hard link, a character device, a zip symlink', async () => {
    const fs = createConfinedFs({ root });
    const cases: Array<[string, Buffer]> = [
      ['symlink.tar.gz', await makeTar([{ name: 'escape', type: 'symlink', linkname: outside }, { name: 'escape/evil.txt', data: Buffer.from('evil') }])],
      ['hardlink.tar.gz', await makeTar([{ name: 'shadow', type: 'link', linkname: '/etc/shadow' }])],
      ['device.tar.gz', await makeTar([{ name: 'tty', type: 'character-device' }])],
      ['symlink.zip', await makeZip([{ name: 'escape', data: Buffer.from(outside), mode: 0o120777 }])],
    ];
    for (const [name, data] of cases) {
      writeFileSync(join(root, name), data);
      await refused(extractArchive(fs, `/${name}`, '/out', LIMITS), 400, 'unsafe_archive', /link|special|character-device/);
      assert.ok(!existsSync(join(root, 'out')), `${name}: nothing extracted`);
    }
    untouched();
  });

  test('bombs: bytes counted as they are decompressed, and entries counted, refuse the archive before anything is written', async () => {
    const fs = createConfinedFs({ root });
    const zeros = Buffer.alloc(40 * 1024 * 1024);
    writeFileSync(join(root, 'bomb.tar.gz'), await makeTar([{ name: 'zeros.bin', data: zeros }]));
    writeFileSync(join(root, 'bomb.zip'), await makeZip([{ name: 'a.bin', data: zeros }]));
    for (const name of ['bomb.tar.gz', 'bomb.zip']) {
      assert.ok(readFileSync(join(root, name)).length < 200_000, `${name} is small`);
      await refused(extractArchive(fs, `/${name}`, '/out', LIMITS), 413, 'archive_too_large');
      assert.ok(!existsSync(join(root, 'out')));
    }
    writeFileSync(join(root, 'many.tar.gz'), await makeTar(Array.from({ length: 1500 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') }))));
    await refused(extractArchive(fs, '/many.tar.gz', '/out', LIMITS), 413, 'archive_too_large', /more than 1000 entries/);
    assert.ok(!existsSync(join(root, 'out')));
  });

  test('a directory the container turned into a link stops the extraction there: nothing lands outside', async () => {
    const fs = createConfinedFs({ root });
    mkdirSync(join(root, 'out'));
    symlinkSync(outside, join(root, 'out', 'plugins'));
    writeFileSync(join(root, 'plugins.tar.gz'), await makeTar([{ name: 'plugins/evil.jar', data: Buffer.from('evil') }]));
    await refused(extractArchive(fs, '/plugins.tar.gz', '/out', LIMITS), 403, 'unsafe_path');
    untouched();
  });

  test('archiving past the disk limit fails and leaves no archive', async () => {
    const fs = createConfinedFs({ root, quotaLeft: async () => 1000 });
    writeFileSync(join(root, 'noise.bin'), randomBytes(50_000));
    await refused(createArchive(fs, ['/noise.bin'], '/noise.zip', 'zip', 1e9), 413, 'disk_limit_exceeded');
    await refused(createArchive(fs, ['/noise.bin'], '/noise.tar.gz', 'tar.gz', 1e9), 413, 'disk_limit_exceeded');
    assert.deepEqual(readdirSync(root), ['noise.bin']);
  });
});
