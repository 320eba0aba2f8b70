// The confined filesystem against a hostile data directory, on real files: symbolic links to the host (as the entry,
// as an intermediate directory, swapped in while an operation runs), hard links, FIFOs, "..", absolute paths; atomic
// writes, the disk limit, recursive delete and copy. Nothing outside the root is read, written, deleted or chmod-ed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, beforeEach, describe, test } from 'node:test';
import { createConfinedFs, TEMP_PREFIX } from '../../src/files/confined-fs.ts';
import { splitPath } from '../../src/files/paths.ts';
import { AppError } from '../../src/shared/errors.ts';

const base = mkdtempSync(join(tmpdir(), 'aether-files-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
const SECRET = 'host secret';

/** Rejects with an AppError of this status and code. */
async function refused(p: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof AppError, `an AppError, got ${String(err)}`);
    assert.equal(err.status, status, err.message);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

/** The outside directory is as it was: its files, their content and modes. */
function outsideUntouched(): void {
  assert.deepEqual(readdirSync(outside).sort(), ['hard.txt', 'secret.txt', 'sub']);
  assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), SECRET);
  assert.equal(statSync(join(outside, 'secret.txt')).mode & 0o777, 0o600);
  assert.equal(statSync(join(outside, 'sub')).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(join(outside, 'sub')), ['keep.txt']);
}

describe('confined filesystem', () => {
  beforeEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    mkdirSync(root);
    mkdirSync(join(outside, 'sub'), { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), SECRET, { mode: 0o600 });
    writeFileSync(join(outside, 'hard.txt'), 'linked');
    writeFileSync(join(outside, 'sub', 'keep.txt'), 'keep');
    chmodSync(join(outside, 'sub'), 0o700);
    chmodSync(join(outside, 'secret.txt'), 0o600);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  test('paths: "..", NUL, backslashes, control characters and over-long names are refused by their text', () => {
    for (const bad of ['..', '../etc/passwd', 'a/../../b', 'a/..', 'a\0b', 'a\\..\\b', 'a\nb', 'x'.repeat(256), `${'a/'.repeat(70)}b`]) {
      assert.throws(() => splitPath(bad), (err: unknown) => err instanceof AppError && err.status === 400 && err.code === 'invalid_path', JSON.stringify(bad.slice(0, 20)));
    }
    assert.deepEqual(splitPath('/'), []);
    assert.deepEqual(splitPath(''), []);
    assert.deepEqual(splitPath('./world//level.dat/'), ['world', 'level.dat']);
    assert.deepEqual(splitPath('/etc/passwd'), ['etc', 'passwd'], 'an absolute path is from the server\'s root');
  });

  test('an absolute path names a file under the root, never the host\'s', async () => {
    const fs = createConfinedFs({ root });
    await refused(fs.readFile('/etc/passwd', 1e6), 404, 'not_found');
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc', 'passwd'), 'the server\'s own');
    assert.equal((await fs.readFile('/etc/passwd', 1e6)).toString(), 'the server\'s own');
  });

  test('a symbolic link to the host, as the entry or as a directory on the way, is never followed', async () => {
    const fs = createConfinedFs({ root });
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync('/etc', join(root, 'etc'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
    mkdirSync(join(root, 'world'));
    symlinkSync(outside, join(root, 'world', 'deeper'));

    const listed = (await fs.list('/')).entries.map((e) => [e.name, e.type]);
    assert.deepEqual(listed, [['world', 'directory'], ['escape', 'symlink'], ['etc', 'symlink'], ['secret-link.txt', 'symlink']]);
    assert.equal((await fs.stat('escape')).type, 'symlink', 'stat reports the link, not its target');

    await refused(fs.readFile('etc/passwd', 1e6), 403, 'unsafe_path');
    await refused(fs.readFile('escape/secret.txt', 1e6), 403, 'unsafe_path');
    await refused(fs.readFile('world/deeper/secret.txt', 1e6), 403, 'unsafe_path');
    await refused(fs.readFile('secret-link.txt', 1e6), 403, 'unsafe_path');
    await refused(fs.list('escape'), 403, 'unsafe_path');
    await refused(fs.writeFile('escape/planted.txt', Buffer.from('x'), { maxBytes: 100 }), 403, 'unsafe_path');
    await refused(fs.writeFile('world/deeper/planted.txt', Buffer.from('x'), { maxBytes: 100 }), 403, 'unsafe_path');
    await refused(fs.mkdir('escape/newdir'), 403, 'unsafe_path');
    await refused(fs.mkdir('escape/a/b', { parents: true }), 403, 'unsafe_path');
    await refused(fs.chmod('secret-link.txt', 0o777), 403, 'unsafe_path');
    await refused(fs.chmod('escape', 0o777), 403, 'unsafe_path');
    await refused(fs.chmod('escape/secret.txt', 0o777), 403, 'unsafe_path');
    await refused(fs.rename('escape/secret.txt', 'stolen.txt'), 403, 'unsafe_path');
    await refused(fs.rename('world', 'escape/world'), 403, 'unsafe_path');
    await refused(fs.copy('escape', 'copied'), 403, 'unsafe_path');
    await refused(fs.copy('escape/secret.txt', 'copied.txt'), 403, 'unsafe_path');
    await refused(fs.remove('escape/secret.txt'), 403, 'unsafe_path');
    await refused(fs.remove('world/deeper/sub', { recursive: true }), 403, 'unsafe_path');
    await refused(fs.openRead('escape/secret.txt'), 403, 'unsafe_path');
    outsideUntouched();

    // Writing over a link replaces the link with a file of the server's; the link's target is untouched.
    await fs.writeFile('secret-link.txt', Buffer.from('mine'), { maxBytes: 100 });
    assert.equal((await fs.stat('secret-link.txt')).type, 'file');
    assert.equal(readFileSync(join(root, 'secret-link.txt'), 'utf8'), 'mine');
    // Deleting a link (even recursively) deletes the link only.
    await fs.remove('escape', { recursive: true });
    await fs.remove('world', { recursive: true });
    assert.ok(!existsSync(join(root, 'escape')) && !existsSync(join(root, 'world')));
    outsideUntouched();
    assert.ok(!existsSync(join(base, 'stolen.txt')) && !existsSync(join(root, 'stolen.txt')) && !existsSync(join(root, 'copied')));
  });

  test('a directory swapped for a link to the host while operations run: no read, write, delete or chmod reaches it', async () => {
    const fs = createConfinedFs({ root });
    mkdirSync(join(root, 'swap'));
    writeFileSync(join(root, 'swap', 'secret.txt'), 'in the root');
    mkdirSync(join(root, 'held'));
    writeFileSync(join(root, 'held', 'secret.txt'), 'in the root');
    symlinkSync(outside, join(root, 'link'));
    // Another process swaps `swap` between the real directory and the link, as fast as it can.
    const swapper = spawn(process.execPath, [
      '-e',
      `const fs = require('node:fs'); const r = ${JSON.stringify(root)};
       for (;;) { try { fs.renameSync(r + '/swap', r + '/held-tmp'); fs.renameSync(r + '/link', r + '/swap'); fs.renameSync(r + '/swap', r + '/link'); fs.renameSync(r + '/held-tmp', r + '/swap'); } catch {} }`,
    ]);
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 300; i += 1) {
        const read = await fs.readFile('swap/secret.txt', 1e6).then((b) => b.toString(), (e: AppError) => e.code);
        seen.add(read);
        await fs.writeFile(`swap/planted-${i % 5}.txt`, Buffer.from('planted'), { maxBytes: 100 }).catch(() => undefined);
        await fs.chmod('swap/secret.txt', 0o644).catch(() => undefined);
        await fs.remove('swap/secret.txt').catch(() => undefined);
        await fs.writeFile('swap/secret.txt', Buffer.from('in the root'), { maxBytes: 100 }).catch(() => undefined);
      }
      assert.ok(!seen.has(SECRET), `read the host's file: ${[...seen].join(', ')}`);
      assert.ok(seen.has('in the root'), `the file was read when the directory was in place: ${[...seen].join(', ')}`);
    } finally {
      swapper.kill('SIGKILL');
      await new Promise((r) => swapper.once('exit', r));
    }
    outsideUntouched();
  });

  test('a file with another hard link is not read, written in place or chmod-ed; a FIFO never hangs a call', async (t) => {
    const fs = createConfinedFs({ root });
    linkSync(join(outside, 'hard.txt'), join(root, 'hard.txt'));
    await refused(fs.readFile('hard.txt', 1e6), 403, 'unsafe_file');
    await refused(fs.chmod('hard.txt', 0o777), 403, 'unsafe_file');
    await refused(fs.copy('hard.txt', 'copy.txt'), 403, 'unsafe_file');
    // Replacing it replaces the server's name for it; the other name keeps its content.
    await fs.writeFile('hard.txt', Buffer.from('replaced'), { maxBytes: 100 });
    assert.equal(readFileSync(join(outside, 'hard.txt'), 'utf8'), 'linked');
    assert.equal(statSync(join(outside, 'hard.txt')).mode & 0o777, 0o644);

    if (spawnSync('mkfifo', [join(root, 'pipe')]).status !== 0) return t.skip('mkfifo not available');
    await refused(fs.readFile('pipe', 1e6), 400, 'not_a_file');
    await refused(fs.chmod('pipe', 0o600), 400, 'not_a_file');
    await refused(fs.copy('pipe', 'pipe-copy'), 400, 'not_a_file');
    assert.equal((await fs.stat('pipe')).type, 'other');
  });

  test('writes are atomic: a failed upload leaves the old file and no temporary file', async () => {
    const fs = createConfinedFs({ root });
    await fs.writeFile('server.properties', Buffer.from('motd=old\n'), { maxBytes: 1000 });
    const broken = new Readable({
      read() {
        this.push(Buffer.from('motd=new'));
        this.destroy(new Error('connection lost'));
      },
    });
    await assert.rejects(fs.writeFile('server.properties', broken, { maxBytes: 1000 }), /connection lost/);
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=old\n');
    assert.deepEqual(readdirSync(root), ['server.properties'], 'no temporary file left');
    await refused(fs.writeFile('server.properties', Buffer.alloc(2000), { maxBytes: 1000 }), 413, 'file_too_large');
    await refused(fs.writeFile('server.properties', Buffer.from('x'), { maxBytes: 1000, overwrite: false }), 409, 'already_exists');
    assert.deepEqual(readdirSync(root), ['server.properties']);
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=old\n');
  });

  test('the disk limit: a write or copy past it is refused and leaves nothing', async () => {
    let left = 1000;
    const fs = createConfinedFs({ root, quotaLeft: async () => left });
    await fs.writeFile('a.bin', Buffer.alloc(600), { maxBytes: 1e6 });
    left = 400;
    await refused(fs.writeFile('b.bin', Buffer.alloc(600), { maxBytes: 1e6 }), 413, 'disk_limit_exceeded');
    await fs.mkdir('dir');
    await fs.writeFile('dir/one.bin', Buffer.alloc(300), { maxBytes: 1e6 });
    await fs.writeFile('dir/two.bin', Buffer.alloc(300), { maxBytes: 1e6 });
    await refused(fs.copy('dir', 'dir-copy'), 413, 'disk_limit_exceeded');
    assert.deepEqual(readdirSync(root).sort(), ['a.bin', 'dir']);
    assert.ok(!readdirSync(root).some((n) => n.startsWith(TEMP_PREFIX)));
  });

  test('mkdir, rename, copy, recursive delete and chmod inside the root', async () => {
    const fs = createConfinedFs({ root });
    await fs.mkdir('plugins/config', { parents: true });
    await fs.writeFile('plugins/config/a.yml', Buffer.from('a: 1\n'), { maxBytes: 100 });
    symlinkSync(outside, join(root, 'plugins', 'config', 'escape'));
    await refused(fs.mkdir('plugins'), 409, 'already_exists');
    await fs.copy('plugins', 'plugins-backup');
    assert.deepEqual(readdirSync(join(root, 'plugins-backup', 'config')), ['a.yml'], 'links are left out of a copy');
    await fs.rename('plugins-backup', 'old-plugins');
    await refused(fs.rename('plugins', 'old-plugins'), 409, 'already_exists');
    await refused(fs.rename('plugins', 'plugins/config/inside'), 400, 'invalid_path');
    await refused(fs.remove('plugins'), 409, 'directory_not_empty');
    await fs.chmod('old-plugins/config/a.yml', 0o600);
    assert.equal(statSync(join(root, 'old-plugins', 'config', 'a.yml')).mode & 0o777, 0o600);
    await refused(fs.chmod('old-plugins/config/a.yml', 0o4755), 400, 'invalid_mode');
    await refused(fs.chmod('/', 0o777), 400, 'invalid_path');
    await refused(fs.remove('/'), 400, 'invalid_path');
    await fs.remove('plugins', { recursive: true });
    assert.deepEqual(readdirSync(root), ['old-plugins']);
    outsideUntouched();
    await refused(fs.stat('missing/file'), 404, 'not_found');
    await refused(fs.list('old-plugins/config/a.yml'), 400, 'not_a_directory');
  });
});
