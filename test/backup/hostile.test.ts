// Backups are read as hostile input: a crafted archive with a name leaving its place, a link, an entry the manifest
// does not list or lists with another checksum is refused whole, and nothing of it is written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { encryptStream } from '../../src/backup/age.ts';
import { readBackup, restoreBackup } from '../../src/backup/index.ts';
import { safeEntryName } from '../../src/backup/format.ts';
import { AppError } from '../../src/shared/errors.ts';

const PASS = 'hostile test passphrase';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** An encrypted archive with these entries, and a manifest listing `listed` (default: the files, truthfully). */
async function craft(dir: string, entries: Array<{ name: string; body?: string; type?: 'file' | 'symlink'; linkname?: string }>, listed?: unknown[]): Promise<string> {
  const pack = tar.pack();
  const file = join(dir, `crafted-${Math.random().toString(36).slice(2)}.tar.gz.age`);
  const sealed = await encryptStream(pack.pipe(createGzip()), { passphrase: PASS });
  const done = pipeline(sealed, createWriteStream(file));
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname ?? '/etc' });
    else pack.entry({ name: e.name, mode: 0o600 }, e.body ?? '');
  }
  const manifest = {
    format: 'aether-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    panelVersion: 'test',
    kind: 'panel',
    migration: null,
    database: 'sqlite',
    includesServerFiles: false,
    servers: [],
    entries: listed ?? entries.filter((e) => e.type !== 'symlink').map((e) => ({ path: e.name, type: 'file', size: Buffer.byteLength(e.body ?? ''), mode: 0o600, sha256: sha(e.body ?? '') })),
  };
  pack.entry({ name: 'manifest.json' }, JSON.stringify(manifest));
  pack.finalize();
  await done;
  return file;
}

const refused = (pattern: RegExp) => (err: unknown) => err instanceof AppError && err.code === 'backup_invalid' && pattern.test(err.message);

test('entry names: only the known parts, relative, without "." or ".." parts', () => {
  for (const ok of ['database/database.sqlite', 'config/config.json', 'keys/csrf.key', 'logs/audit.log', 'servers/abc/world/level.dat', 'servers/abc/', 'manifest.json']) assert.equal(safeEntryName(ok), true, ok);
  for (const bad of ['../x', '/etc/passwd', 'keys/../../etc/passwd', 'servers/a/../../x', 'servers/./a', 'other/file', 'keys/', 'keys\\x', 'servers/a\0b', 'database/other.sqlite']) assert.equal(safeEntryName(bad), false, bad);
});

test('a crafted backup is refused whole: escaping names, links, unlisted or altered entries; nothing is written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aether-hostile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const target = (name: string) => ({ dataDir: join(dir, name, 'data'), database: { sqlitePath: join(dir, name, 'data', 'database.db') }, configPath: join(dir, name, 'config.json'), logDir: join(dir, name, 'logs'), serversDir: join(dir, name, 'data', 'servers') });
  const cases: Array<[string, Awaited<ReturnType<typeof craft>>, RegExp]> = [
    ['escape', await craft(dir, [{ name: 'keys/../../../escaped.txt', body: 'x' }]), /a name a backup never has/],
    ['absolute', await craft(dir, [{ name: '/tmp/escaped.txt', body: 'x' }]), /a name a backup never has/],
    ['symlink', await craft(dir, [{ name: 'servers/abc/link', type: 'symlink' }]), /symlink entry/],
    ['unlisted', await craft(dir, [{ name: 'keys/extra.key', body: 'x' }], []), /not in its manifest/],
    ['altered', await craft(dir, [{ name: 'keys/a.key', body: 'real' }], [{ path: 'keys/a.key', type: 'file', size: 4, mode: 0o600, sha256: sha('fake') }]), /does not match its checksum/],
    ['missing', await craft(dir, [], [{ path: 'keys/a.key', type: 'file', size: 1, mode: 0o600, sha256: sha('x') }]), /missing from the backup/],
  ];
  for (const [name, file, pattern] of cases) {
    await assert.rejects(readBackup(file, { passphrases: [PASS] }), refused(pattern), name);
    await assert.rejects(restoreBackup(file, { passphrases: [PASS] }, target(name), { force: false, now: new Date() }), refused(pattern), `restore ${name}`);
    assert.equal(existsSync(join(dir, name, 'data')), false, `${name}: nothing restored`);
  }
  for (const [name] of cases) assert.deepEqual(readdirSync(join(dir, name)), [], `${name}: no staging directory is left`);
  assert.deepEqual(readdirSync(dir).filter((n) => !n.startsWith('crafted-') && !cases.some(([c]) => c === n)), [], 'nothing escaped');
  assert.equal(existsSync(join(tmpdir(), 'escaped.txt')), false);
});
