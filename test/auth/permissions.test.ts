// Permissions: can(), buildGrants() and holdsAll() over role assignments, and over HTTP that nobody grants a scope they lack.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildGrants, can, holdsAll, type Grants } from '../../src/auth/permissions.ts';
import { PER_SERVER_SCOPES, SCOPES } from '../../src/auth/scopes.ts';
import type { TestClient } from '../helpers/client.ts';
import { createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import type { TestPanel } from '../helpers/panel.ts';

const actorWith = (assignments: Array<{ scopes: string[]; serverId: string | null }>): { grants: Grants } => ({ grants: buildGrants(assignments) });

const GLOBAL_SCOPES = SCOPES.filter((s) => !s.perServer).map((s) => s.name);

describe('can()', () => {
  const admin = actorWith([{ scopes: ['admin'], serverId: null }]);
  const serverAdminOnS1 = actorWith([{ scopes: ['server.admin'], serverId: 's1' }]);
  const serverAdminEverywhere = actorWith([{ scopes: ['server.admin'], serverId: null }]);
  const consoleOnS1 = actorWith([{ scopes: ['server.console'], serverId: 's1' }]);
  const mixedRoleOnS1 = actorWith([{ scopes: ['users.edit', 'audit.view', 'server.view'], serverId: 's1' }]);
  const viewer = actorWith([{ scopes: ['users.view'], serverId: null }]);

  const cases: Array<{ name: string; actor: { grants: Grants } | null; scope: string; server?: string | null; expected: boolean }> = [
    { name: 'no actor can do nothing', actor: null, scope: 'users.view', expected: false },
    { name: 'admin holds a global scope', actor: admin, scope: 'users.edit', expected: true },
    { name: 'admin holds settings.edit', actor: admin, scope: 'settings.edit', expected: true },
    { name: 'admin holds a per-server scope on any server', actor: admin, scope: 'server.console', server: 'any-server', expected: true },
    { name: 'admin holds a per-server scope without a server', actor: admin, scope: 'server.delete', expected: true },
    { name: 'admin does not hold an unknown scope', actor: admin, scope: 'no.such.scope', expected: false },
    { name: 'server.admin on s1 implies server.console on s1', actor: serverAdminOnS1, scope: 'server.console', server: 's1', expected: true },
    { name: 'server.admin on s1 implies server.files.edit on s1', actor: serverAdminOnS1, scope: 'server.files.edit', server: 's1', expected: true },
    { name: 'server.admin on s1 gives nothing on s2', actor: serverAdminOnS1, scope: 'server.console', server: 's2', expected: false },
    { name: 'server.admin on s1 gives nothing without a server', actor: serverAdminOnS1, scope: 'server.console', expected: false },
    { name: 'server.admin on s1 gives no global scope', actor: serverAdminOnS1, scope: 'server.create', expected: false },
    { name: 'server.admin on s1 is not admin', actor: serverAdminOnS1, scope: 'admin', expected: false },
    { name: 'global server.admin implies per-server scopes on every server', actor: serverAdminEverywhere, scope: 'server.stop', server: 's9', expected: true },
    { name: 'global server.admin gives no global-only scope', actor: serverAdminEverywhere, scope: 'users.view', expected: false },
    { name: 'a single per-server scope on s1 holds there', actor: consoleOnS1, scope: 'server.console', server: 's1', expected: true },
    { name: 'a single per-server scope does not imply its siblings', actor: consoleOnS1, scope: 'server.files.view', server: 's1', expected: false },
    { name: 'a per-server grant of a global scope is ignored (with the server)', actor: mixedRoleOnS1, scope: 'users.edit', server: 's1', expected: false },
    { name: 'a per-server grant of a global scope is ignored (globally)', actor: mixedRoleOnS1, scope: 'audit.view', expected: false },
    { name: 'the per-server part of that role still holds', actor: mixedRoleOnS1, scope: 'server.view', server: 's1', expected: true },
    { name: 'a global scope is not asked per server', actor: viewer, scope: 'users.view', server: 's1', expected: true },
    { name: 'users.view does not imply users.edit', actor: viewer, scope: 'users.edit', expected: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(can(c.actor, c.scope, c.server), c.expected);
    });
  }
});

describe('buildGrants()', () => {
  test('admin expands to every scope of the catalog, globally', () => {
    const grants = buildGrants([{ scopes: ['admin'], serverId: null }]);
    assert.deepEqual([...grants.global].sort(), SCOPES.map((s) => s.name).sort());
    assert.equal(grants.perServer.size, 0);
  });

  test('server.admin on a server expands to exactly the per-server scopes there', () => {
    const grants = buildGrants([{ scopes: ['server.admin'], serverId: 's1' }]);
    assert.equal(grants.global.size, 0);
    assert.deepEqual([...(grants.perServer.get('s1') ?? [])].sort(), [...PER_SERVER_SCOPES].sort());
  });

  test('admin assigned on one server keeps only the per-server part', () => {
    const grants = buildGrants([{ scopes: ['admin'], serverId: 's1' }]);
    assert.equal(grants.global.size, 0);
    assert.deepEqual([...(grants.perServer.get('s1') ?? [])].sort(), [...PER_SERVER_SCOPES].sort());
    for (const scope of GLOBAL_SCOPES) assert.equal(grants.perServer.get('s1')?.has(scope), false, scope);
  });

  test('assignments add up, per server', () => {
    const grants = buildGrants([
      { scopes: ['users.view'], serverId: null },
      { scopes: ['server.view'], serverId: 's1' },
      { scopes: ['server.start'], serverId: 's1' },
      { scopes: ['server.stop'], serverId: 's2' },
    ]);
    assert.deepEqual([...grants.global], ['users.view']);
    assert.deepEqual([...(grants.perServer.get('s1') ?? [])].sort(), ['server.start', 'server.view']);
    assert.deepEqual([...(grants.perServer.get('s2') ?? [])], ['server.stop']);
  });

  test('no assignments, no grants', () => {
    const grants = buildGrants([]);
    assert.equal(grants.global.size, 0);
    assert.equal(grants.perServer.size, 0);
  });
});

describe('holdsAll()', () => {
  const admin = actorWith([{ scopes: ['admin'], serverId: null }]);
  const manager = actorWith([{ scopes: ['users.view', 'users.edit', 'roles.view'], serverId: null }]);
  const serverAdminOnS1 = actorWith([{ scopes: ['server.admin'], serverId: 's1' }]);

  const cases: Array<{ name: string; actor: { grants: Grants }; scopes: string[]; server: string | null; expected: boolean }> = [
    { name: 'admin holds admin', actor: admin, scopes: ['admin'], server: null, expected: true },
    { name: 'admin holds server.admin on any server', actor: admin, scopes: ['server.admin'], server: 's7', expected: true },
    { name: 'a manager holds their own scopes', actor: manager, scopes: ['users.view', 'users.edit'], server: null, expected: true },
    { name: 'a manager does not hold admin (it expands to everything)', actor: manager, scopes: ['admin'], server: null, expected: false },
    { name: 'one missing scope is enough to refuse', actor: manager, scopes: ['users.view', 'audit.view'], server: null, expected: false },
    { name: 'the empty list is held by anyone', actor: manager, scopes: [], server: null, expected: true },
    { name: 'server.admin on s1 holds server.admin on s1', actor: serverAdminOnS1, scopes: ['server.admin'], server: 's1', expected: true },
    { name: 'server.admin on s1 does not hold it on s2', actor: serverAdminOnS1, scopes: ['server.admin'], server: 's2', expected: false },
    { name: 'server.admin on s1 does not hold it globally', actor: serverAdminOnS1, scopes: ['server.admin'], server: null, expected: false },
    { name: 'on a server only the per-server scopes of a role count', actor: serverAdminOnS1, scopes: ['users.edit', 'server.view'], server: 's1', expected: true },
    { name: 'a manager cannot hand out a per-server scope on a server', actor: manager, scopes: ['server.view'], server: 's1', expected: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(holdsAll(c.actor, c.scopes, c.server), c.expected);
    });
  }
});

describe('granting only what one holds, over HTTP', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let roleIds: Map<string, string>;
  let manager: Awaited<ReturnType<typeof createUser>>;
  let roleEditor: Awaited<ReturnType<typeof createUser>>;
  let n = 0;
  const newUser = () => {
    n += 1;
    return { username: `granted-${n}`, email: `granted-${n}@example.test`, password: `Plenty-Long-Pass-${n}x` };
  };

  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    const mk = async (name: string, scopes: string[]) => {
      const res = await admin.post('/api/v1/roles', { name, scopes });
      assert.equal(res.status, 201, res.text);
    };
    await mk('user-manager', ['users.edit', 'users.view', 'roles.view']);
    await mk('role-editor', ['roles.edit']);
    roleIds = new Map(((await admin.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>).map((r) => [r.name, r.id]));
    manager = await createUser(panel, admin, ['user-manager']);
    roleEditor = await createUser(panel, admin, ['user-manager', 'role-editor']);
  });
  after(() => panel.close());

  const refusals: Array<{ name: string; role: string; serverId?: string }> = [
    { name: 'the admin role', role: 'admin' },
    { name: 'the operator role', role: 'operator' },
    { name: 'the auditor role (audit.view and more are not held)', role: 'auditor' },
    { name: 'the operator role on one server (server.admin is not held there)', role: 'operator', serverId: 'srv-1' },
  ];
  for (const r of refusals) {
    test(`a user manager cannot create a user with ${r.name}: 403 scope_not_held`, async () => {
      const res = await manager.client.post('/api/v1/users', { ...newUser(), roles: [{ roleId: roleIds.get(r.role), serverId: r.serverId ?? null }] });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, 'scope_not_held');
    });
  }

  test('nothing was created by the refused requests', async () => {
    const names = ((await admin.get('/api/v1/users')).body.items as Array<{ username: string }>).map((u) => u.username);
    assert.equal(names.filter((u) => u.startsWith('granted-')).length, 0);
  });

  test('a user manager can create a user with their own role, or none', async () => {
    const withRole = await manager.client.post('/api/v1/users', { ...newUser(), roles: [{ roleId: roleIds.get('user-manager'), serverId: null }] });
    assert.equal(withRole.status, 201, withRole.text);
    assert.deepEqual(withRole.body.user.scopes, ['roles.view', 'users.edit', 'users.view']);
    const plain = await manager.client.post('/api/v1/users', newUser());
    assert.equal(plain.status, 201, plain.text);
  });

  test('a user manager cannot assign admin to an existing user: 403 scope_not_held', async () => {
    const target = await manager.client.post('/api/v1/users', newUser());
    const res = await manager.client.put(`/api/v1/users/${target.body.user.id}/roles`, { roles: [{ roleId: roleIds.get('admin'), serverId: null }] });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, 'scope_not_held');
    assert.deepEqual((await admin.get(`/api/v1/users/${target.body.user.id}`)).body.user.roles, []);
  });

  test('a user manager cannot take the auditor role away from someone: 403 scope_not_held', async () => {
    const auditor = await createUser(panel, admin, ['auditor']);
    const res = await manager.client.put(`/api/v1/users/${auditor.id}/roles`, { roles: [] });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, 'scope_not_held');
  });

  test('a user manager cannot disable, delete, edit or sign out an administrator: 403 scope_not_held', async () => {
    const me = (await admin.get('/api/v1/users/me')).body.user;
    const attempts = [
      await manager.client.patch(`/api/v1/users/${me.id}`, { disabled: true }),
      await manager.client.patch(`/api/v1/users/${me.id}`, { email: 'hijacked@example.test' }),
      await manager.client.del(`/api/v1/users/${me.id}`),
      await manager.client.post(`/api/v1/users/${me.id}/sessions/revoke`),
    ];
    for (const res of attempts) {
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, 'scope_not_held');
    }
    const after = (await admin.get(`/api/v1/users/${me.id}`)).body.user;
    assert.equal(after.disabled, false);
    assert.equal(after.email, me.email);
    assert.equal((await admin.get('/api/v1/users/me')).status, 200, 'the admin is still signed in');
  });

  test('a user manager can disable and sign out a user holding no more than they do', async () => {
    const peer = await createUser(panel, admin, ['user-manager']);
    assert.equal((await manager.client.post(`/api/v1/users/${peer.id}/sessions/revoke`)).status, 204);
    assert.equal((await peer.client.get('/api/v1/users/me')).status, 401);
    assert.equal((await manager.client.patch(`/api/v1/users/${peer.id}`, { disabled: true })).body.user.disabled, true);
  });

  test('a user manager cannot create roles at all without roles.edit: 403 forbidden', async () => {
    const res = await manager.client.post('/api/v1/roles', { name: 'sneaky', scopes: ['users.view'] });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, 'forbidden');
  });

  const roleRefusals: Array<{ name: string; scopes: string[] }> = [
    { name: 'admin', scopes: ['admin'] },
    { name: 'audit.view, not held', scopes: ['users.view', 'audit.view'] },
    { name: 'settings.edit, not held', scopes: ['settings.edit'] },
    { name: 'server.admin, not held', scopes: ['server.admin'] },
  ];
  for (const r of roleRefusals) {
    test(`a role editor cannot create a role holding ${r.name}: 403 scope_not_held`, async () => {
      const res = await roleEditor.client.post('/api/v1/roles', { name: `bad-${r.scopes.join('-')}`, scopes: r.scopes });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, 'scope_not_held');
    });
  }

  test('a role editor can create a role from scopes they hold', async () => {
    const res = await roleEditor.client.post('/api/v1/roles', { name: 'viewer-only', scopes: ['users.view', 'roles.view'] });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.role.scopes, ['roles.view', 'users.view']);
  });

  test('a role editor cannot widen a role to a scope they lack: 403 scope_not_held', async () => {
    const id = ((await admin.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>).find((r) => r.name === 'viewer-only')!.id;
    const res = await roleEditor.client.patch(`/api/v1/roles/${id}`, { scopes: ['users.view', 'audit.view'] });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, 'scope_not_held');
  });

  test('a role editor cannot change a role holding scopes they lack: 403 scope_not_held', async () => {
    const created = await admin.post('/api/v1/roles', { name: 'audit-reader', scopes: ['audit.view'] });
    const res = await roleEditor.client.patch(`/api/v1/roles/${created.body.role.id}`, { scopes: ['users.view'] });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, 'scope_not_held');
    const del = await roleEditor.client.del(`/api/v1/roles/${created.body.role.id}`);
    assert.equal(del.status, 403, del.text);
    assert.equal(del.body.error.code, 'scope_not_held');
  });
});

describe('the auditor role', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let auditor: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    ({ panel, admin } = await panelWithAdmin());
    auditor = await createUser(panel, admin, ['auditor']);
  });
  after(() => panel.close());

  const reads = ['/api/v1/audit', '/api/v1/users', '/api/v1/roles', '/api/v1/settings/allowlist'];
  for (const path of reads) {
    test(`can GET ${path}`, async () => {
      const res = await auditor.client.get(path);
      assert.equal(res.status, 200, res.text);
    });
  }

  const writes: Array<{ name: string; method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown; scope: string }> = [
    { name: 'create a user', method: 'POST', path: '/api/v1/users', body: { username: 'nope-user', email: 'nope@example.test', password: 'Plenty-Long-Pass-1x' }, scope: 'users.edit' },
    { name: 'create a role', method: 'POST', path: '/api/v1/roles', body: { name: 'nope-role', scopes: [] }, scope: 'roles.edit' },
    { name: 'change the allowlist', method: 'PUT', path: '/api/v1/settings/allowlist', body: { cidrs: [] }, scope: 'settings.edit' },
  ];
  for (const w of writes) {
    test(`cannot ${w.name}: 403 forbidden, recorded as auth.permission_denied`, async () => {
      const res = await auditor.client.json(w.method, w.path, w.body);
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.error.code, 'forbidden');
      assert.match(res.body.error.message, new RegExp(w.scope.replace('.', '\\.')));

      const events = (await auditor.client.get('/api/v1/audit?type=auth.permission_denied&limit=1')).body.items as Array<{
        actor: { id: string };
        outcome: string;
        details: { scope: string; method: string };
      }>;
      assert.equal(events[0]?.actor.id, auditor.id);
      assert.equal(events[0]?.outcome, 'denied');
      assert.equal(events[0]?.details.scope, w.scope);
      assert.equal(events[0]?.details.method, w.method);
    });
  }

  test('the refused user was not created', async () => {
    const names = ((await admin.get('/api/v1/users')).body.items as Array<{ username: string }>).map((u) => u.username);
    assert.equal(names.includes('nope-user'), false);
  });
});
