// The backups API: set-up state, making a backup and following its progress, checking, downloading (still encrypted)
// and deleting one, the restore test on demand; backups.manage for all of it, and names that are not backups refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { newIdentity, readBackup } from '../../src/backup/index.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';

test('backups over HTTP: make one and follow it, verify, download, delete; restore test; only with backups.manage', { timeout: 60_000 }, async (t) => {
  const admin = await newIdentity();
  const { panel, admin: client } = await panelWithAdmin({ backup: { recipients: [admin.recipient] } });
  t.after(() => panel.close());

  const empty = await client.get('/api/v1/backups');
  assert.equal(empty.status, 200);
  assert.equal(empty.body.encryption, 'recipients');
  assert.deepEqual(empty.body.items, []);
  assert.equal(empty.body.schedule.dailyAtUtc, '03:00');
  assert.deepEqual(empty.body.retention, { daily: 7, weekly: 4, monthly: 12 });
  const none = await client.post('/api/v1/backups/restore-test', {});
  assert.equal(none.body.result.ok, false);
  assert.match(none.body.result.detail, /no backup/);

  const auditor = await createUser(panel, client, ['auditor']);
  assert.equal((await auditor.client.get('/api/v1/backups')).status, 403);
  assert.equal((await auditor.client.post('/api/v1/backups', {})).status, 403);

  const started = await client.post('/api/v1/backups', { files: false });
  assert.equal(started.status, 202, started.text);
  const id = started.body.job.id as string;
  let job = started.body.job;
  await eventually(async () => {
    job = (await client.get(`/api/v1/backups/jobs/${id}`)).body.job;
    return job.state !== 'running';
  }, 'the backup to finish', 30_000, 100);
  assert.equal(job.state, 'done', job.error);
  assert.ok(job.progress.totalBytes > 0 && job.progress.doneBytes === job.progress.totalBytes);
  assert.ok(!job.file.includes('/'), 'the file by its name only');

  const listed = (await client.get('/api/v1/backups')).body.items as Array<{ name: string; label: string; bytes: number }>;
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.name, job.file);
  assert.equal(listed[0]!.label, 'manual');

  const verified = await client.post(`/api/v1/backups/${job.file}/verify`, {});
  assert.equal(verified.status, 200, verified.text);
  assert.ok(verified.body.files >= 3);
  const tested = await client.post('/api/v1/backups/restore-test', {});
  assert.equal(tested.body.result.ok, true, tested.body.result.detail);
  assert.equal((await client.get('/api/v1/backups')).body.lastRestoreTest.ok, true);

  // Downloaded as stored: encrypted, and the administrator's identity opens it.
  const res = await fetch(`${panel.url}/api/v1/backups/${job.file}/download`, { headers: { Cookie: client.cookieHeader() } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
  const body = Buffer.from(await res.arrayBuffer());
  const stored = readFileSync(join(panel.config.paths.backupDir, job.file));
  assert.ok(body.equals(stored));
  assert.ok(!body.includes(Buffer.from('SQLite format 3')), 'nothing readable without the key');
  assert.equal((await readBackup(join(panel.config.paths.backupDir, job.file), { identities: [admin.identity] })).kind, 'panel');

  for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'config.json', '.hidden.tar.gz.age']) {
    const r = await client.post(`/api/v1/backups/${bad}/verify`, {});
    assert.ok(r.status === 400 || r.status === 404, `${bad}: ${r.status}`);
  }
  assert.equal((await client.del(`/api/v1/backups/${job.file}`)).status, 204);
  assert.equal((await client.post(`/api/v1/backups/${job.file}/verify`, {})).status, 404);
  const events = (await client.get('/api/v1/audit?type=backup.*')).body.items.map((e: { type: string }) => e.type);
  assert.deepEqual(events.sort(), ['backup.created', 'backup.deleted']);
});

test('without recipients or a passphrase, backups say they are not set up and none is made', async (t) => {
  const { panel, admin: client } = await panelWithAdmin();
  t.after(() => panel.close());
  assert.equal(panel.services.backups.configured(), null);
  assert.equal((await client.get('/api/v1/backups')).body.encryption, null);
  const refused = await client.post('/api/v1/backups', { files: true });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'backup_not_configured');
  await panel.services.backups.tick();
  assert.deepEqual(panel.services.backups.list(), [], 'the schedule makes none either');
});
