// Suspending a server on a real Docker Engine: it is stopped and cannot be started; its owner keeps seeing it but
// loses its files, console, SFTP and power, and their open console and SFTP sessions end within seconds; those who may
// suspend servers still reach it; unsuspended, the owner has it all back. Deleted, its open SFTP sessions end.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { openConsole } from '../helpers/console-socket.ts';
import { needsDocker } from '../helpers/docker.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import type { TestPanel } from '../helpers/panel.ts';
import { testPortRange } from '../helpers/ports.ts';
import { needs } from '../helpers/require-component.ts';
import { askpassEnv, HAS_SFTP_CLIENT, runSftp, sftpArgs } from '../helpers/sftp-client.ts';

const running = (containerId: string) => spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', containerId], { encoding: 'utf8' }).stdout.trim();

describe('server suspension', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let serverId = '';
  const dir = mkdtempSync(join(tmpdir(), 'aether-suspend-'));

  before(async () => {
    const ports = testPortRange();
    ({ panel, admin } = await panelWithAdmin({ servers: { portRange: ports }, sftp: { enabled: true, recheckSeconds: 1 } }));
  });
  after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a suspended server is stopped, closed to its owner (open console and SFTP sessions end), and open again once unsuspended', { timeout: 120_000 }, async (t) => {
    if (!needsDocker(t) || !needs(t, 'sftp', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) return;
    const created = await admin.post('/api/v1/servers', { name: 'Rented', template: 'test-server' });
    assert.equal(created.status, 201, created.text);
    serverId = created.body.server.id;
    const shortId = created.body.server.shortId as string;
    const roles = (await admin.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>;
    const owner = await createUser(panel, admin, []);
    const assigned = await admin.put(`/api/v1/users/${owner.id}/roles`, { roles: [{ roleId: roles.find((r) => r.name === 'server-owner')!.id, serverId }] });
    assert.equal(assigned.status, 200, assigned.text);
    const files = `/api/v1/servers/${serverId}/files`;

    // The owner runs it, watches its console and has an SFTP session open.
    const started = await owner.client.post(`/api/v1/servers/${serverId}/power`, { action: 'start' });
    assert.equal(started.status, 200, started.text);
    const containerId = (await panel.db('servers').where({ id: serverId }).first()).container_id as string;
    assert.equal(running(containerId), 'true');
    const ticket = await owner.client.post(`/api/v1/servers/${serverId}/console/ticket`, {});
    assert.equal(ticket.status, 201, ticket.text);
    const consoleSocket = await openConsole(panel, serverId, { ticket: ticket.body.ticket, origin: panel.url, cookie: owner.client.cookieHeader() });
    const sftpUser = `${owner.username}.${shortId}`;
    const held = spawn('sftp', [...sftpArgs(dir, panel.sftpPort()!, { password: owner.password }), `${sftpUser}@127.0.0.1`], { env: askpassEnv(dir, owner.password), stdio: ['pipe', 'ignore', 'ignore'] });
    const sftpExited = new Promise<number>((resolve) => held.on('close', (code) => resolve(code ?? -1)));
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === owner.id), 'the owner\'s SFTP session to open', 20_000, 100);

    // Only holders of servers.suspend may suspend.
    const refused = await owner.client.post(`/api/v1/servers/${serverId}/suspend`, { reason: 'mine' });
    assert.equal(refused.status, 403);
    assert.equal((await admin.post(`/api/v1/servers/${serverId}/suspend`, { reason: ' ' })).status, 400, 'a reason is required');

    const suspended = await admin.post(`/api/v1/servers/${serverId}/suspend`, { reason: 'Unpaid invoice 2026-11' });
    assert.equal(suspended.status, 200, suspended.text);
    assert.equal(suspended.body.server.state, 'stopped');
    assert.equal(suspended.body.server.suspended.reason, 'Unpaid invoice 2026-11');
    assert.equal(running(containerId), 'false', 'the container was stopped');
    assert.equal((await admin.post(`/api/v1/servers/${serverId}/suspend`, { reason: 'again' })).status, 409);

    // Open sessions end within seconds.
    assert.equal(await consoleSocket.closed, 4403);
    await eventually(() => !panel.sftp!.sessions().some((s) => s.userId === owner.id), 'the owner\'s SFTP session to end', 10_000, 100);
    held.stdin!.end();
    await sftpExited;
    const ended = (await admin.get('/api/v1/audit?type=sftp.session_ended&limit=50')).body.items as Array<{ actor: { id: string }; details: { reason: string } }>;
    assert.ok(ended.some((e) => e.actor.id === owner.id && e.details.reason === 'server_suspended'));

    // The owner sees it, suspended and why, and nothing more.
    const seen = await owner.client.get(`/api/v1/servers/${serverId}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.server.suspended.reason, 'Unpaid invoice 2026-11');
    assert.deepEqual(seen.body.server.myScopes, ['server.view']);
    for (const res of [
      await owner.client.get(files),
      await owner.client.put(`${files}/upload?path=/x.txt`, 'x'),
      await owner.client.post(`/api/v1/servers/${serverId}/power`, { action: 'start' }),
      await owner.client.post(`/api/v1/servers/${serverId}/console/ticket`, {}),
      await owner.client.del(`/api/v1/servers/${serverId}`),
    ]) {
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, 'server_suspended');
    }
    const login = await runSftp({ dir, port: panel.sftpPort()!, user: sftpUser, commands: ['ls'], auth: { password: owner.password } });
    assert.notEqual(login.code, 0, login.out);
    const failures = (await admin.get('/api/v1/audit?type=sftp.auth.failure&limit=20')).body.items as Array<{ details: { reason: string } }>;
    assert.ok(failures.some((e) => e.details.reason === 'server_suspended'));

    // An administrator still reaches its files, but cannot start it while it is suspended.
    assert.equal((await admin.get(files)).status, 200);
    const adminStart = await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'start' });
    assert.equal(adminStart.status, 409);
    assert.equal(adminStart.body.error.code, 'server_suspended');
    assert.equal(running(containerId), 'false');
    const events = (await admin.get('/api/v1/audit?type=server.suspended')).body.items as Array<{ details: { reason: string; stopped: boolean } }>;
    assert.deepEqual(events.map((e) => e.details), [{ reason: 'Unpaid invoice 2026-11', stopped: true }]);

    // Unsuspended: the owner has it back.
    const unsuspended = await admin.post(`/api/v1/servers/${serverId}/unsuspend`, {});
    assert.equal(unsuspended.status, 200, unsuspended.text);
    assert.equal(unsuspended.body.server.suspended, null);
    assert.equal((await admin.post(`/api/v1/servers/${serverId}/unsuspend`, {})).status, 409);
    assert.equal((await owner.client.get(files)).status, 200);
    assert.ok(((await owner.client.get(`/api/v1/servers/${serverId}`)).body.server.myScopes as string[]).includes('server.files.edit'));
    const again = await owner.client.post(`/api/v1/servers/${serverId}/power`, { action: 'start' });
    assert.equal(again.status, 200, again.text);
    assert.equal(running(containerId), 'true');
    const back = await runSftp({ dir, port: panel.sftpPort()!, user: sftpUser, commands: ['pwd'], auth: { password: owner.password } });
    assert.equal(back.code, 0, back.out);
    assert.equal((await owner.client.post(`/api/v1/servers/${serverId}/power`, { action: 'kill' })).status, 200);

    // Deleted: an open SFTP session on it ends too.
    const last = spawn('sftp', [...sftpArgs(dir, panel.sftpPort()!, { password: owner.password }), `${sftpUser}@127.0.0.1`], { env: askpassEnv(dir, owner.password), stdio: ['pipe', 'ignore', 'ignore'] });
    const lastExited = new Promise<number>((resolve) => last.on('close', (code) => resolve(code ?? -1)));
    await eventually(() => panel.sftp!.sessions().some((s) => s.userId === owner.id), 'a new SFTP session to open', 20_000, 100);
    assert.equal((await admin.del(`/api/v1/servers/${serverId}`)).status, 204);
    serverId = '';
    await eventually(() => !panel.sftp!.sessions().some((s) => s.userId === owner.id), 'the session on the deleted server to end', 10_000, 100);
    last.stdin!.end();
    await lastExited;
    const gone = (await admin.get('/api/v1/audit?type=sftp.session_ended&limit=50')).body.items as Array<{ actor: { id: string }; details: { reason: string } }>;
    assert.ok(gone.some((e) => e.actor.id === owner.id && e.details.reason === 'server_deleted'));
  });
});
