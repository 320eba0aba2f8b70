// Walks every registered route: each must declare a known scope, or an explicit public or authenticated marker.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SCOPES } from '../../src/auth/scopes.ts';
import { allRoutes } from '../../src/http/app.ts';
import { buildRouter } from '../../src/http/router.ts';
import type { AnyRoute } from '../../src/http/route.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

/** The problems of a route's access declaration; empty when it is sound. */
function accessProblems(route: AnyRoute): string[] {
  const access = route.access as Record<string, unknown> | undefined;
  if (!access || typeof access !== 'object') return ['declares no access'];
  const keys = Object.keys(access);
  if ('public' in access) return access.public === true && keys.length === 1 ? [] : ['public marker must be exactly { public: true }'];
  if ('authenticated' in access) {
    const exact =
      access.authenticated === true &&
      keys.every((k) => k === 'authenticated' || (k === 'enrolment' && access.enrolment === true) || (k === 'passwordChange' && access.passwordChange === true));
    return exact ? [] : ['authenticated marker must be exactly { authenticated: true }, optionally with enrolment: true or passwordChange: true'];
  }
  if (typeof access.scope !== 'string') return ['declares neither a scope nor a public/authenticated marker'];
  const def = SCOPES.find((s) => s.name === access.scope);
  if (!def) return [`unknown scope ${String(access.scope)}`];
  if (access.serverParam !== undefined && !route.path.includes(`:${String(access.serverParam)}`)) return [`serverParam ${String(access.serverParam)} is not a path parameter`];
  return [];
}

describe('route access walk', () => {
  let panel: TestPanel;
  before(async () => {
    panel = await startPanel();
  });
  after(() => panel.close());

  test('every registered route declares a scope or an explicit marker', () => {
    const mounted = allRoutes(panel.services, 'test');
    const all = mounted.flatMap((m) => m.routes.map((r) => ({ ...r, full: `${r.method} ${m.prefix}${r.path}` })));
    assert.ok(all.length >= 25, `expected the whole API, found ${all.length} routes`);
    const problems = all.flatMap((r) => accessProblems(r).map((p) => `${r.full}: ${p}`));
    assert.deepEqual(problems, []);
    const publicRoutes = all.filter((r) => 'public' in r.access).map((r) => r.full).sort();
    assert.deepEqual(publicRoutes, [
      'GET /api/v1/auth/session',
      'GET /api/v1/openapi.json',
      'GET /api/v1/setup/status',
      'GET /healthz',
      'GET /readyz',
      'POST /api/v1/auth/2fa',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/setup',
      // Authenticated by the token only Gatus is given (test/gatus/receiver.test.ts), not by a session or OAuth2.
      'POST /gatus/alerts',
    ]);
  });

  test('the router serves exactly the declared routes', () => {
    for (const { prefix, routes } of allRoutes(panel.services, 'test')) {
      const router = buildRouter(prefix, routes, { audit: panel.services.audit, csrfKey: panel.services.csrfKey, publicUrl: undefined, bodyLimit: 1024 });
      const layers = router.layers.map((l) => `${l.methods.filter((m) => m !== 'HEAD').join(',')} ${l.path}`).sort();
      assert.deepEqual(layers, routes.map((r) => `${r.method} ${prefix}${r.path}`).sort());
    }
  });

  test('the checker rejects a route without access, with an empty marker or an unknown scope', () => {
    const base = { method: 'GET', path: '/x', summary: '', tag: 't', responses: {}, handler: () => {} } as unknown as AnyRoute;
    assert.notDeepEqual(accessProblems({ ...base, access: undefined } as unknown as AnyRoute), []);
    assert.notDeepEqual(accessProblems({ ...base, access: {} } as unknown as AnyRoute), []);
    assert.notDeepEqual(accessProblems({ ...base, access: { public: false } } as unknown as AnyRoute), []);
    assert.notDeepEqual(accessProblems({ ...base, access: { authenticated: true, enrolment: false } } as unknown as AnyRoute), []);
    assert.notDeepEqual(accessProblems({ ...base, access: { authenticated: true, passwordChange: 'yes' } } as unknown as AnyRoute), []);
    assert.notDeepEqual(accessProblems({ ...base, access: { authenticated: true, scope: 'users.edit' } } as unknown as AnyRoute), []);
    assert.notDeepEqual(accessProblems({ ...base, access: { scope: 'users.fly' } } as unknown as AnyRoute), []);
    assert.deepEqual(accessProblems({ ...base, access: { scope: 'users.edit' } } as unknown as AnyRoute), []);
  });

  test('every non-public route refuses an anonymous caller with 401', async () => {
    for (const { prefix, routes } of allRoutes(panel.services, 'test')) {
      for (const r of routes.filter((x) => !('public' in x.access))) {
        const path = `${prefix}${r.path}`.replace(/:[A-Za-z]+/g, '00000000-0000-0000-0000-000000000000');
        const res = await fetch(`${panel.url}${path}`, { method: r.method, headers: { Origin: panel.url, 'Content-Type': 'application/json' }, ...(r.method === 'GET' ? {} : { body: '{}' }) });
        assert.equal(res.status, 401, `${r.method} ${path}`);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unauthenticated');
      }
    }
  });
});
