// Backups copied to an SFTP server off the machine (a real OpenSSH server with internal-sftp): whole, under their own
// name, pruned with the local ones; a host answering with another key gets nothing, and that is an alert.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { newIdentity } from '../../src/backup/index.ts';
import { systemCaller } from '../../src/auth/index.ts';
import { eventually } from '../helpers/mail-server.ts';
import { startPanel } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';
import { HAS_SFTP_CLIENT } from '../helpers/sftp-client.ts';
import { HAS_SSHD, SSHD_MISSING, startSshd } from '../helpers/sshd.ts';

test('backups go to an SFTP server with its host key pinned, and are pruned there too', { timeout: 120_000 }, async (t) => {
  if (!needs(t, 'sshd', HAS_SSHD, SSHD_MISSING) || !needs(t, 'sftp', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) return;
  const dir = mkdtempSync(join(tmpdir(), 'aether-offsite-sftp-'));
  const remote = join(dir, 'remote');
  mkdirSync(remote);
  const sshd = await startSshd(join(dir, 'ssh'), ['Subsystem sftp internal-sftp', `ForceCommand internal-sftp -d ${remote}`]);
  const admin = await newIdentity();
  const offsite = (hostKey: string) => ({ host: '127.0.0.1', port: sshd.port, user: 'root', keyFile: sshd.clientKey, hostKey, dir: 'aether' });
  const panel = await startPanel({ backup: { recipients: [admin.recipient], retention: { daily: 1, weekly: 0, monthly: 0 }, offsiteSftp: offsite(sshd.hostPub) } });
  let panelOpen = true;
  t.after(async () => {
    if (panelOpen) await panel.close();
    sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const backups = panel.services.backups;
  const cli = systemCaller('test');

  const first = await backups.create(cli, { label: 'manual', withFiles: false }).done;
  assert.equal(first.state, 'done', first.error ?? '');
  const name = first.file!.slice(first.file!.lastIndexOf('/') + 1);
  assert.deepEqual(readdirSync(join(remote, 'aether')), [name], 'whole, under its own name, no partial left');
  assert.ok(readFileSync(join(remote, 'aether', name)).equals(readFileSync(first.file!)));
  const created = (await panel.services.audit.list({ type: 'backup.created', limit: 5 }))[0]!;
  assert.equal(created.details.offsite, 'sftp');

  // Retention prunes the copies too: two daily backups a day apart, one day kept.
  const daily1 = await backups.create(cli, { label: 'daily', withFiles: false, out: join(panel.config.paths.backupDir, 'aether-2026-11-01T03-00-00-000Z-daily.tar.gz.age') }).done;
  assert.equal(daily1.state, 'done');
  const daily2 = await backups.create(cli, { label: 'daily', withFiles: false, out: join(panel.config.paths.backupDir, 'aether-2026-11-02T03-00-00-000Z-daily.tar.gz.age') }).done;
  assert.equal(daily2.state, 'done');
  assert.ok(!existsSync(daily1.file!), 'pruned here');
  assert.deepEqual(readdirSync(join(remote, 'aether')).sort(), [name, 'aether-2026-11-02T03-00-00-000Z-daily.tar.gz.age'].sort(), 'and there');

  // The host answers with another key than the one configured: nothing is sent, and that is an alert.
  await panel.close();
  panelOpen = false;
  const mitm = await startPanel({ backup: { recipients: [admin.recipient], offsiteSftp: offsite(sshd.otherHostPub) } });
  t.after(() => mitm.close());
  const before = sshd.log().split('Accepted publickey').length;
  const job = await mitm.services.backups.create(cli, { label: 'manual', withFiles: false }).done;
  assert.equal(job.state, 'done', 'the backup itself is made');
  assert.equal(sshd.log().split('Accepted publickey').length, before, 'no login to a host with the wrong key');
  const failed = await mitm.services.audit.list({ type: 'backup.offsite_failed', limit: 5 });
  assert.match(String(failed[0]?.details.reason), /Host key verification failed|REMOTE HOST IDENTIFICATION/);
  await eventually(async () => (await mitm.services.alerts.list({ sort: 'last_seen', order: 'desc', limit: 10, offset: 0 })).items.some((a) => /could not be copied off the machine/.test(a.title)), 'the alert', 10_000, 100);
});
