// Client scopes: parsing "scope" and "scope:serverId", what an owner may give, and the intersection with the owner's grants on every use.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildGrants } from '../../src/auth/permissions.ts';
import { effectiveGrants, ownerHolds, parseClientScope } from '../../src/oauth/client-scopes.ts';
import { AppError } from '../../src/shared/errors.ts';

describe('client scopes', () => {
  test('parses global and per-server scopes; refuses unknown names and server ids on global scopes', () => {
    assert.deepEqual(parseClientScope('users.view'), { scope: 'users.view', serverId: null });
    assert.deepEqual(parseClientScope('server.start:srv-1'), { scope: 'server.start', serverId: 'srv-1' });
    for (const bad of ['users.fly', 'users.view:srv-1', 'server.start:', 'server.start:bad id', 'server.start:a:b', '', ':srv-1']) {
      assert.throws(() => parseClientScope(bad), (err) => err instanceof AppError && err.code === 'unknown_scope', bad);
    }
  });

  test('an owner may give what they hold, globally or on that server only', () => {
    const owner = { grants: buildGrants([{ scopes: ['users.view'], serverId: null }, { scopes: ['server.start'], serverId: 'srv-1' }]) };
    assert.equal(ownerHolds(owner, parseClientScope('users.view')), true);
    assert.equal(ownerHolds(owner, parseClientScope('users.edit')), false);
    assert.equal(ownerHolds(owner, parseClientScope('server.start:srv-1')), true);
    assert.equal(ownerHolds(owner, parseClientScope('server.start:srv-2')), false);
    assert.equal(ownerHolds(owner, parseClientScope('server.admin:srv-1')), false, 'server.admin implies scopes the owner lacks there');
    const admin = { grants: buildGrants([{ scopes: ['admin'], serverId: null }]) };
    assert.equal(ownerHolds(admin, parseClientScope('server.admin:srv-9')), true);
  });

  test('a token keeps only what its owner still holds', () => {
    const owner = buildGrants([{ scopes: ['users.view', 'audit.view'], serverId: null }, { scopes: ['server.start', 'server.stop'], serverId: 'srv-1' }]);
    const grants = effectiveGrants(['users.view', 'settings.edit', 'server.start:srv-1', 'server.start:srv-2', 'server.admin:srv-1', 'garbage'], owner);
    assert.deepEqual([...grants.global].sort(), ['users.view']);
    assert.deepEqual([...grants.perServer.keys()], ['srv-1']);
    assert.deepEqual([...grants.perServer.get('srv-1')!].sort(), ['server.start', 'server.stop']);
    // An owner with admin lends a client everything the client was given, and nothing more.
    const admin = buildGrants([{ scopes: ['admin'], serverId: null }]);
    assert.deepEqual([...effectiveGrants(['users.view'], admin).global], ['users.view']);
    assert.equal(effectiveGrants(['admin'], admin).global.has('settings.edit'), true);
  });
});
