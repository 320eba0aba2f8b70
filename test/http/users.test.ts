// Tests user and role administration through the API: create, list with cursor, edit, disable, delete, roles, last-admin guard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestClient } from '../helpers/client.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

describe('users and roles API', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let roles: Array<{ id: string; name: string; builtin: boolean; scopes: string[] }>;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    roles = (await admin.get('/api/v1/roles')).body.items;
  });
  after(() => panel.close());
  const roleId = (name: string) => roles.find((r) => r.name === name)!.id;

  test('built-in roles exist and cannot be changed or deleted', async () => {
    assert.deepEqual(roles.filter((r) => r.builtin).map((r) => r.name).sort(), ['admin', 'auditor', 'operator', 'server-owner']);
    assert.deepEqual(roles.find((r) => r.name === 'admin')!.scopes, ['admin']);
    const patch = await admin.patch(`/api/v1/roles/${roleId('auditor')}`, { scopes: ['admin'] });
    assert.equal(patch.status, 403);
    assert.equal(patch.body.error.code, 'builtin_role');
    assert.equal((await admin.del(`/api/v1/roles/${roleId('admin')}`)).status, 403);
  });

  test('create, read, update, disable, enable and delete a user; each step audited', async () => {
    const created = await admin.post('/api/v1/users', { username: 'Dana', email: 'Dana@Example.test', password: 'Quiet-River-Stone-42', roles: [{ roleId: roleId('operator'), serverId: null }] });
    assert.equal(created.status, 201);
    const user = created.body.user;
    assert.equal(user.username, 'dana');
    assert.equal(user.email, 'dana@example.test');
    assert.deepEqual(user.roles.map((r: { roleName: string }) => r.roleName), ['operator']);
    assert.ok(user.scopes.includes('server.start'));
    assert.equal(JSON.stringify(created.body).includes('argon2'), false, 'no hash in responses');

    const dup = await admin.post('/api/v1/users', { username: 'dana', email: 'other@example.test', password: 'Quiet-River-Stone-42' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'user_exists');

    assert.equal((await admin.get(`/api/v1/users/${user.id}`)).body.user.id, user.id);
    const updated = await admin.patch(`/api/v1/users/${user.id}`, { email: 'dana2@example.test' });
    assert.equal(updated.body.user.email, 'dana2@example.test');
    assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: true })).body.user.disabled, true);
    assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: false })).body.user.disabled, false);
    const roleChange = await admin.put(`/api/v1/users/${user.id}/roles`, { roles: [{ roleId: roleId('auditor'), serverId: null }] });
    assert.deepEqual(roleChange.body.user.roles.map((r: { roleName: string }) => r.roleName), ['auditor']);
    assert.equal((await admin.del(`/api/v1/users/${user.id}`)).status, 204);
    assert.equal((await admin.get(`/api/v1/users/${user.id}`)).status, 404);

    const types = (await admin.get(`/api/v1/audit?actor=${encodeURIComponent('root-admin')}&limit=50`)).body.items.map((e: { type: string }) => e.type);
    for (const t of ['user.created', 'user.updated', 'user.disabled', 'user.enabled', 'user.roles_changed', 'user.deleted']) assert.ok(types.includes(t), `${t} audited`);
  });

  test('the last active administrator cannot be disabled, deleted or demoted; nobody disables or deletes themselves', async () => {
    const me = (await admin.get('/api/v1/users/me')).body.user;
    assert.equal((await admin.patch(`/api/v1/users/${me.id}`, { disabled: true })).body.error.code, 'cannot_disable_self');
    assert.equal((await admin.del(`/api/v1/users/${me.id}`)).body.error.code, 'cannot_delete_self');
    const demote = await admin.put(`/api/v1/users/${me.id}/roles`, { roles: [] });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.error.code, 'last_admin');
  });

  test('list pages through users with an opaque cursor', async () => {
    for (let i = 0; i < 5; i += 1) {
      const r = await admin.post('/api/v1/users', { username: `page-user-${i}`, email: `page${i}@example.test`, password: 'Paging-Through-Users-9' });
      assert.equal(r.status, 201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ username: string }>; nextCursor: string | null } } = await admin.get(`/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((u) => u.username));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.includes('page-user-4') && seen.includes('root-admin'));
  });

  test('custom roles: create, rename, change scopes, delete; unknown scopes refused', async () => {
    const bad = await admin.post('/api/v1/roles', { name: 'wizards', scopes: ['server.fly'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'unknown_scope');
    const created = await admin.post('/api/v1/roles', { name: 'moderators', description: 'Console only', scopes: ['server.view', 'server.console'] });
    assert.equal(created.status, 201);
    const id = created.body.role.id;
    const changed = await admin.patch(`/api/v1/roles/${id}`, { name: 'mods', scopes: ['server.view'] });
    assert.equal(changed.body.role.name, 'mods');
    assert.deepEqual(changed.body.role.scopes, ['server.view']);
    assert.equal((await admin.post('/api/v1/roles', { name: 'mods', scopes: [] })).status, 409);
    assert.equal((await admin.del(`/api/v1/roles/${id}`)).status, 204);
    const events = (await admin.get('/api/v1/audit?type=role.*')).body.items.map((e: { type: string }) => e.type);
    assert.deepEqual(events.slice(0, 3), ['role.deleted', 'role.updated', 'role.created']);
  });

  test('a per-server role grants its scopes on that server only', async () => {
    const role = (await admin.post('/api/v1/roles', { name: 'server-crew', scopes: ['server.view', 'server.start', 'users.view'] })).body.role;
    const u = await createUser(panel, admin, []);
    const res = await admin.put(`/api/v1/users/${u.id}/roles`, { roles: [{ roleId: role.id, serverId: 'srv-1' }] });
    assert.equal(res.status, 200);
    const grants = await panel.services.users.grantsOf(u.id);
    assert.deepEqual([...grants.global], []);
    assert.deepEqual([...(grants.perServer.get('srv-1') ?? [])].sort(), ['server.start', 'server.view']);
  });

  test('a role change gives the user\'s sessions a new id on their next request', async () => {
    const u = await createUser(panel, admin, ['auditor']);
    const before = u.client.cookieHeader();
    await admin.put(`/api/v1/users/${u.id}/roles`, { roles: [{ roleId: roleId('operator'), serverId: null }] });
    const me = await u.client.get('/api/v1/users/me');
    assert.equal(me.status, 200);
    assert.ok(me.body.user.scopes.includes('server.create'));
    assert.notEqual(u.client.cookieHeader(), before, 'session id rotated');
    const old = await fetch(`${panel.url}/api/v1/users/me`, { headers: { Cookie: before } });
    assert.equal(old.status, 401, 'the old id is dead');
  });
});
