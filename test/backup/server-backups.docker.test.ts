// A server's own backups on a real Docker Engine: made with progress, listed, downloaded (a plain tar.gz of its files),
// restored into the stopped server (never while it runs, never past its disk limit, never from a damaged backup) and
// deleted; each under its own server.backup.* scope, and links planted in the files left out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { needsDocker } from '../helpers/docker.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { testPortRange } from '../helpers/ports.ts';

test('server backups: make, list, download, restore (stopped, whole, within the disk limit), delete; scopes', { timeout: 180_000 }, async (t) => {
  if (!needsDocker(t)) return;
  const ports = testPortRange();
  const { panel, admin } = await panelWithAdmin({ servers: { portRange: ports } });
  let serverId = '';
  t.after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
  });
  const created = await admin.post('/api/v1/servers', { name: 'Backed', template: 'test-server', limits: { diskMb: 16 } });
  assert.equal(created.status, 201, created.text);
  serverId = created.body.server.id;
  const root = panel.services.servers.dataDirOf(serverId);
  mkdirSync(join(root, 'world'));
  writeFileSync(join(root, 'world', 'level.dat'), 'the world as it was\n');
  writeFileSync(join(root, 'config.yml'), 'motd: hello\n');
  symlinkSync('/etc', join(root, 'etc-link'));
  const api = `/api/v1/servers/${serverId}/backups`;

  // A user who may only see backups.
  const role = await admin.post('/api/v1/roles', { name: 'backup-viewer', description: 'sees backups', scopes: ['server.view', 'server.backup.view'] });
  const viewer = await createUser(panel, admin, []);
  assert.equal((await admin.put(`/api/v1/users/${viewer.id}/roles`, { roles: [{ roleId: role.body.role.id, serverId }] })).status, 200);
  assert.equal((await viewer.client.post(api, {})).status, 403);

  // Made, with progress, and listed.
  const started = await admin.post(api, {});
  assert.equal(started.status, 202, started.text);
  let job = started.body.job;
  await eventually(async () => {
    job = (await admin.get(`${api}/jobs/${job.id}`)).body.job;
    return job.state !== 'running';
  }, 'the server backup to finish', 30_000, 100);
  assert.equal(job.state, 'done', job.error);
  assert.ok(job.progress.totalBytes > 0);
  const list = await viewer.client.get(api);
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 1);
  const name = list.body.items[0].name as string;
  assert.equal(name, job.file);
  assert.ok(!existsSync(join(root, name)) && !readFileSync(join(panel.config.paths.backupDir, 'servers', serverId, name)).includes(Buffer.from('the world')), 'kept outside the server\'s files, encrypted');

  // Downloaded as a plain tar.gz of the files (the link left out), by those who may see backups.
  const res = await fetch(`${panel.url}${api}/${name}/download`, { headers: { Cookie: viewer.client.cookieHeader() } });
  assert.equal(res.status, 200);
  const tgz = join(panel.dir, 'server.tgz');
  writeFileSync(tgz, Buffer.from(await res.arrayBuffer()));
  const names = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(names.includes(`servers/${serverId}/world/level.dat`) && names.includes(`servers/${serverId}/config.yml`), names.join(' '));
  assert.ok(!names.some((n) => n.includes('etc-link')), 'links are never backed up');

  // The files change.
  writeFileSync(join(root, 'world', 'level.dat'), 'griefed\n');
  writeFileSync(join(root, 'junk.txt'), 'junk');
  execFileSync('rm', [join(root, 'config.yml')]);

  // Not while it runs; not by a viewer.
  assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'start' })).status, 200);
  const running = await admin.post(`${api}/${name}/restore`, {});
  assert.equal(running.status, 409);
  assert.equal(running.body.error.code, 'server_running');
  assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'kill' })).status, 200);
  assert.equal((await viewer.client.post(`${api}/${name}/restore`, {})).status, 403);

  // A damaged backup changes nothing.
  const stored = join(panel.config.paths.backupDir, 'servers', serverId, name);
  const good = readFileSync(stored);
  const bad = Buffer.from(good);
  bad[bad.length - 40]! ^= 0xff;
  writeFileSync(stored, bad);
  const refused = await admin.post(`${api}/${name}/restore`, {});
  assert.equal(refused.status, 400, refused.text);
  assert.equal(readFileSync(join(root, 'world', 'level.dat'), 'utf8'), 'griefed\n');
  writeFileSync(stored, good);

  // Restored: the files as they were, nothing else, owned by the container's user again.
  const restored = await admin.post(`${api}/${name}/restore`, {});
  assert.equal(restored.status, 200, restored.text);
  assert.equal(restored.body.files, 2);
  assert.equal(readFileSync(join(root, 'world', 'level.dat'), 'utf8'), 'the world as it was\n');
  assert.equal(readFileSync(join(root, 'config.yml'), 'utf8'), 'motd: hello\n');
  assert.ok(!existsSync(join(root, 'junk.txt')));
  if (process.getuid?.() === 0) assert.equal(statSync(join(root, 'world', 'level.dat')).uid, 1000);
  assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'start' })).status, 200, 'the server starts on its restored files');
  assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'kill' })).status, 200);

  // A backup larger than the disk limit is refused before anything changes.
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(12 * 1024 * 1024, 7));
  const second = await admin.post(api, {});
  await eventually(async () => (await admin.get(`${api}/jobs/${second.body.job.id}`)).body.job.state === 'done', 'the second backup', 30_000, 100);
  const bigName = (await admin.get(api)).body.items[0].name as string;
  execFileSync('rm', [join(root, 'big.bin')]);
  assert.equal((await admin.patch(`/api/v1/servers/${serverId}`, { limits: { diskMb: 16 } })).status, 200);
  writeFileSync(join(root, 'marker.txt'), 'still here');
  const tooBig = await (async () => {
    // 12 MiB fit in 16 MiB; the limit is lowered to make them not fit.
    const r = await panel.db('servers').where({ id: serverId }).update({ disk_mb: 8 });
    assert.equal(r, 1);
    return admin.post(`${api}/${bigName}/restore`, {});
  })();
  assert.equal(tooBig.status, 413, tooBig.text);
  assert.equal(readFileSync(join(root, 'marker.txt'), 'utf8'), 'still here');

  // Deleted, by those who may.
  assert.equal((await viewer.client.del(`${api}/${name}`)).status, 403);
  assert.equal((await admin.del(`${api}/${name}`)).status, 204);
  assert.equal((await admin.get(api)).body.items.length, 1);
  const events = ((await admin.get('/api/v1/audit?type=server.backup.*&limit=20')).body.items as Array<{ type: string }>).map((e) => e.type);
  for (const type of ['server.backup.created', 'server.backup.restored', 'server.backup.deleted']) assert.ok(events.includes(type), type);
});
