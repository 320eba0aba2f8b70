// The HTTP file API of a real server (its container made on a real Docker Engine, its data directory on disk): every
// operation, the classes of Wings' advisories (host file creation, recursive delete on the host, reads outside the
// root, chmod through a link) with links planted as the container would, scopes, and the audit trail.
import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';

const SECRET = 'host secret';

describe('server files over HTTP', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let serverId = '';
  let root = '';
  const outside = mkdtempSync(join(tmpdir(), 'aether-outside-'));

  before(async () => {
    const ports = testPortRange();
    ({ panel, admin } = await panelWithAdmin({
      servers: { portRange: ports },
      files: { maxUploadBytes: 4 * 1024 * 1024, maxEditBytes: 64 * 1024, maxExtractBytes: 32 * 1024 * 1024 },
    }));
    writeFileSync(join(outside, 'secret.txt'), SECRET, { mode: 0o600 });
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'keep.txt'), 'keep');
  });
  after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
    rmSync(outside, { recursive: true, force: true });
  });

  const url = (rest: string) => `/api/v1/servers/${serverId}/files${rest}`;
  const q = (path: string) => encodeURIComponent(path);
  const upload = (client: TestClient, path: string, body: string | Buffer, extra = '') =>
    client.raw('PUT', url(`/upload?path=${q(path)}${extra}`), { body, headers: { 'Content-Type': 'application/octet-stream', ...(client.csrf ? { 'X-CSRF-Token': client.csrf } : {}) } });

  function outsideUntouched(): void {
    assert.deepEqual(readdirSync(outside).sort(), ['dir', 'secret.txt']);
    assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), SECRET);
    assert.equal(statSync(join(outside, 'secret.txt')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(outside, 'dir')), ['keep.txt']);
  }

  test('upload, list, stat, download with ranges, the editor\'s read, mkdir, rename, copy, chmod, delete; each change audited', async (t) => {
    if (!needsDocker(t)) return;
    const created = await admin.post('/api/v1/servers', { name: 'Files', template: 'test-server' });
    assert.equal(created.status, 201, created.text);
    serverId = created.body.server.id;
    root = panel.services.servers.dataDirOf(serverId);

    const put = await upload(admin, '/server.properties', 'motd=Hello\nmax-players=10\n');
    assert.equal(put.status, 201, put.text);
    assert.deepEqual([put.body.entry.name, put.body.entry.type, put.body.bytes], ['server.properties', 'file', 26]);
    assert.equal(readFileSync(join(root, 'server.properties'), 'utf8'), 'motd=Hello\nmax-players=10\n');

    assert.equal((await admin.post(url('/mkdir'), { path: '/world/region', parents: true })).status, 201);
    assert.equal((await upload(admin, '/world/region/r.0.0.mca', Buffer.alloc(5000, 0xff))).status, 201);
    const listed = await admin.get(url('?path=/'));
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.body.entries.map((e: { name: string; type: string }) => [e.name, e.type]), [['world', 'directory'], ['server.properties', 'file']]);
    assert.match(listed.body.entries[1].mode, /^0[0-7]{3}$/);
    assert.equal((await admin.get(url(`/stat?path=${q('/world/region/r.0.0.mca')}`))).body.entry.size, 5000);

    const whole = await admin.raw('GET', url(`/download?path=${q('/server.properties')}`));
    assert.equal(whole.status, 200);
    assert.equal(whole.text, 'motd=Hello\nmax-players=10\n');
    assert.equal(whole.headers['content-type'], 'application/octet-stream');
    assert.equal(whole.headers['x-content-type-options'], 'nosniff');
    assert.match(String(whole.headers['content-disposition']), /^attachment; filename="server.properties"/);
    const part = await admin.raw('GET', url(`/download?path=${q('/server.properties')}`), { headers: { Range: 'bytes=5-9' } });
    assert.equal(part.status, 206);
    assert.equal(part.text, 'Hello');
    assert.equal(part.headers['content-range'], 'bytes 5-9/26');
    const tail = await admin.raw('GET', url(`/download?path=${q('/server.properties')}`), { headers: { Range: 'bytes=-3' } });
    assert.equal(tail.text, '10\n');
    const beyond = await admin.raw('GET', url(`/download?path=${q('/server.properties')}`), { headers: { Range: 'bytes=100-' } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers['content-range'], 'bytes */26');

    const text = await admin.get(url(`/content?path=${q('/server.properties')}`));
    assert.deepEqual([text.status, text.body.content], [200, 'motd=Hello\nmax-players=10\n']);
    const binary = await admin.get(url(`/content?path=${q('/world/region/r.0.0.mca')}`));
    assert.deepEqual([binary.status, binary.body.error.code], [415, 'not_text']);

    assert.equal((await admin.post(url('/rename'), { from: '/server.properties', to: '/world/server.properties' })).status, 204);
    assert.equal((await admin.post(url('/copy'), { from: '/world', to: '/world-backup' })).status, 201);
    assert.equal(readFileSync(join(root, 'world-backup', 'server.properties'), 'utf8'), 'motd=Hello\nmax-players=10\n');
    assert.equal((await admin.post(url('/chmod'), { path: '/world-backup/server.properties', mode: '0600' })).status, 204);
    assert.equal(statSync(join(root, 'world-backup', 'server.properties')).mode & 0o777, 0o600);
    assert.equal((await admin.post(url('/chmod'), { path: '/world-backup/server.properties', mode: '4755' })).body.error.code, 'validation_failed');
    const notEmpty = await admin.del(url(`?path=${q('/world-backup')}`));
    assert.deepEqual([notEmpty.status, notEmpty.body.error.code], [409, 'directory_not_empty']);
    assert.equal((await admin.del(url(`?path=${q('/world-backup')}&recursive=true`))).status, 204);
    assert.ok(!existsSync(join(root, 'world-backup')));

    const exists = await upload(admin, '/world/server.properties', 'x', '&overwrite=false');
    assert.deepEqual([exists.status, exists.body.error.code], [409, 'already_exists']);
    const big = await upload(admin, '/big.bin', Buffer.alloc(5 * 1024 * 1024));
    assert.deepEqual([big.status, big.body.error.code], [413, 'file_too_large']);
    assert.ok(!readdirSync(root).some((n) => n.startsWith('.aether-tmp-') || n === 'big.bin'), 'nothing half-written');

    const types = ((await admin.get('/api/v1/audit?type=file.*&limit=200')).body.items as Array<{ type: string; details: Record<string, unknown> }>).map((e) => e.type);
    for (const type of ['file.written', 'file.mkdir', 'file.renamed', 'file.copied', 'file.chmod', 'file.deleted']) assert.ok(types.includes(type), `${type} audited: ${types.join(', ')}`);
  });

  test('escapes: links planted by the container, "..", NUL, absolute paths and hard links never reach outside; each is a 4xx, the attempts audited', async (t) => {
    if (!needsDocker(t) || !serverId) return;
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync('/etc', join(root, 'etc'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link'));
    mkdirSync(join(root, 'plugins'));
    symlinkSync(outside, join(root, 'plugins', 'deeper'));
    linkSync(join(outside, 'secret.txt'), join(root, 'hard.txt'));

    const attempts: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
      ['read /etc through a link (CVE-2024-27102)', () => admin.raw('GET', url(`/download?path=${q('/etc/passwd')}`)), 403, 'unsafe_path'],
      ['read a file link', () => admin.get(url(`/content?path=${q('/secret-link')}`)), 403, 'unsafe_path'],
      ['list through a link', () => admin.get(url(`?path=${q('/escape')}`)), 403, 'unsafe_path'],
      ['read through an intermediate link', () => admin.raw('GET', url(`/download?path=${q('/plugins/deeper/secret.txt')}`)), 403, 'unsafe_path'],
      ['write through a link (CVE-2023-25152)', () => upload(admin, '/escape/planted.txt', 'planted'), 403, 'unsafe_path'],
      ['mkdir through a link', () => admin.post(url('/mkdir'), { path: '/plugins/deeper/made', parents: true }), 403, 'unsafe_path'],
      ['chmod through a link (GHSA-rhq6-9rgh-v45c)', () => admin.post(url('/chmod'), { path: '/secret-link', mode: '0777' }), 403, 'unsafe_path'],
      ['chmod a file in a linked directory', () => admin.post(url('/chmod'), { path: '/escape/secret.txt', mode: '0777' }), 403, 'unsafe_path'],
      ['delete inside a linked directory (CVE-2023-25168)', () => admin.del(url(`?path=${q('/escape/dir')}&recursive=true`)), 403, 'unsafe_path'],
      ['move a file out of a linked directory', () => admin.post(url('/rename'), { from: '/escape/secret.txt', to: '/stolen.txt' }), 403, 'unsafe_path'],
      ['move a file into a linked directory', () => admin.post(url('/rename'), { from: '/plugins', to: '/escape/plugins' }), 403, 'unsafe_path'],
      ['copy a linked directory', () => admin.post(url('/copy'), { from: '/escape', to: '/copied' }), 403, 'unsafe_path'],
      ['read a hard link to an outside file', () => admin.raw('GET', url(`/download?path=${q('/hard.txt')}`)), 403, 'unsafe_file'],
      ['chmod a hard link', () => admin.post(url('/chmod'), { path: '/hard.txt', mode: '0777' }), 403, 'unsafe_file'],
      ['..', () => admin.raw('GET', url(`/download?path=${q('../../../../etc/passwd')}`)), 400, 'invalid_path'],
      ['.. in the middle', () => upload(admin, '/world/../../planted.txt', 'x'), 400, 'invalid_path'],
      ['NUL', () => admin.get(url(`/stat?path=${q('/server\0.properties')}`)), 400, 'invalid_path'],
      ['an absolute host path is under the root', () => admin.raw('GET', url(`/download?path=${q('/var/lib/docker/../../../etc/shadow')}`)), 400, 'invalid_path'],
      ['an absolute path that is not in the server', () => admin.get(url(`/stat?path=${q('/proc/self/environ')}`)), 404, 'not_found'],
    ];
    for (const [what, attempt, status, code] of attempts) {
      const res = await attempt();
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code, what);
    }
    outsideUntouched();
    assert.ok(!existsSync(join(root, 'stolen.txt')) && !existsSync(join(root, 'copied')));

    // The links themselves may be deleted: the link goes, its target stays.
    assert.equal((await admin.del(url(`?path=${q('/escape')}&recursive=true`))).status, 204);
    assert.equal((await admin.del(url(`?path=${q('/plugins')}&recursive=true`))).status, 204);
    assert.equal((await admin.del(url(`?path=${q('/hard.txt')}`))).status, 204);
    outsideUntouched();

    const events = (await admin.get('/api/v1/audit?type=file.*&limit=200')).body.items as Array<{ type: string; outcome: string; details: { reason?: string } }>;
    assert.ok(events.filter((e) => e.outcome === 'denied' && e.details.reason === 'unsafe_path').length >= 10, 'escape attempts are audited as denied');
    assert.ok(events.some((e) => e.outcome === 'denied' && e.details.reason === 'invalid_path'));
  });

  test('archives: made and extracted through the API; a zip-slip archive and a bomb are refused whole, nothing lands outside', async (t) => {
    if (!needsDocker(t) || !serverId) return;
    const made = await admin.post(url('/archive'), { paths: ['/world'], to: '/world.zip', format: 'zip' });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.body.entry.name, 'world.zip');
    const extracted = await admin.post(url('/extract'), { path: '/world.zip', to: '/unpacked' });
    assert.equal(extracted.status, 200, extracted.text);
    assert.ok(extracted.body.files >= 2);
    assert.equal(readFileSync(join(root, 'unpacked', 'world', 'server.properties'), 'utf8'), 'motd=Hello\nmax-players=10\n');

    // A zip whose entry climbs out with "..": yazl will not write one, so the name is patched in (same length).
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('owned'), 'aa/aa/aa/evil.txt');
    zip.end();
    const slip = Buffer.from((await collect(zip.outputStream)).toString('latin1').split('aa/aa/aa/evil.txt').join('../../../evil.txt'), 'latin1');
    assert.equal((await upload(admin, '/slip.zip', slip)).status, 201);
    const refusedSlip = await admin.post(url('/extract'), { path: '/slip.zip', to: '/' });
    assert.deepEqual([refusedSlip.status, refusedSlip.body.error.code], [400, 'unsafe_archive']);
    assert.ok(!existsSync(join(root, '..', 'evil.txt')) && !existsSync(join(root, '..', '..', 'evil.txt')));

    // 64 MiB of zeros in a ~64 KiB tar.gz, with 32 MiB allowed (the test server's disk limit is larger).
    const pack = tar.pack();
    const packed = collect(pack as unknown as Readable);
    pack.entry({ name: 'zeros.bin', size: 64 * 1024 * 1024 }, Buffer.alloc(64 * 1024 * 1024));
    pack.finalize();
    const bomb = gzipSync(await packed);
    assert.ok(bomb.length < 200_000);
    assert.equal((await upload(admin, '/bomb.tar.gz', bomb)).status, 201);
    const refusedBomb = await admin.post(url('/extract'), { path: '/bomb.tar.gz', to: '/bomb' });
    assert.deepEqual([refusedBomb.status, refusedBomb.body.error.code], [413, 'archive_too_large']);
    assert.ok(!existsSync(join(root, 'bomb')));
    outsideUntouched();
  });

  test('scopes: server.files.view reads but may not write; a user without file scopes sees nothing', async (t) => {
    if (!needsDocker(t) || !serverId) return;
    const role = await admin.post('/api/v1/roles', { name: `file-reader-${Date.now()}`, description: 'reads files', scopes: ['server.view', 'server.files.view'] });
    assert.equal(role.status, 201, role.text);
    const reader = await createUser(panel, admin, []);
    assert.equal((await admin.put(`/api/v1/users/${reader.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] })).status, 200);
    assert.equal((await reader.client.get(url('?path=/'))).status, 200);
    const write = await upload(reader.client, '/by-reader.txt', 'x');
    assert.deepEqual([write.status, write.body.error.code], [403, 'forbidden']);
    assert.equal((await reader.client.del(url(`?path=${q('/world')}&recursive=true`))).status, 403);
    assert.ok(!existsSync(join(root, 'by-reader.txt')) && existsSync(join(root, 'world')));

    const stranger = await createUser(panel, admin, []);
    assert.equal((await stranger.client.get(url('?path=/'))).status, 403);
    assert.equal((await stranger.client.raw('GET', url(`/download?path=${q('/world/server.properties')}`))).status, 403);
  });
});
