// Security headers on every kind of response (API, UI page, 404, error), request ids, no caching of API answers, and the health probes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestClient, type Res } from '../helpers/client.ts';
import { panelWithAdmin, setupAdmin } from '../helpers/fixtures.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

type Kind = { name: string; get: (c: TestClient, admin: TestClient) => Promise<Res>; status: number; api: boolean; error: boolean };

const kinds: Kind[] = [
  { name: 'an API response', get: (_c, admin) => admin.get('/api/v1/users/me'), status: 200, api: true, error: false },
  { name: 'a public API response', get: (c) => c.get('/api/v1/setup/status'), status: 200, api: true, error: false },
  { name: 'the UI page /', get: (c) => c.get('/'), status: 200, api: false, error: false },
  { name: 'a client-side UI route', get: (c) => c.get('/users/123'), status: 200, api: false, error: false },
  { name: 'an API 404', get: (c) => c.get('/api/v1/nothing-here'), status: 404, api: true, error: true },
  { name: 'a missing static file', get: (c) => c.get('/missing-file.js'), status: 404, api: false, error: true },
  { name: 'a 401', get: (c) => c.get('/api/v1/users/me'), status: 401, api: true, error: true },
  { name: 'a 400', get: (_c, admin) => admin.get('/api/v1/users?limit=zero'), status: 400, api: true, error: true },
  { name: 'a 403', get: (_c, admin) => admin.json('POST', '/api/v1/roles', { name: 'x-role', scopes: [] }, { 'X-CSRF-Token': 'wrong' }), status: 403, api: true, error: true },
];

describe('security headers', () => {
  let panel: TestPanel;
  let admin: TestClient;
  let anon: TestClient;
  let uiRoot: string;
  const responses = new Map<string, Res>();
  before(async () => {
    // A UI folder of its own, so the test does not depend on a UI build.
    uiRoot = mkdtempSync(join(tmpdir(), 'aether-ui-'));
    writeFileSync(join(uiRoot, 'index.html'), '<!doctype html><title>Aether Panel</title><script type="module" src="/assets/app.js"></script>');
    panel = await startPanel({}, { uiRoot });
    admin = await setupAdmin(panel);
    anon = new TestClient(panel.url);
    for (const k of kinds) responses.set(k.name, await k.get(anon, admin));
  });
  after(async () => {
    await panel.close();
    rmSync(uiRoot, { recursive: true, force: true });
  });

  for (const k of kinds) {
    describe(k.name, () => {
      const res = () => responses.get(k.name)!;

      test(`answers ${k.status}`, () => {
        assert.equal(res().status, k.status, res().text.slice(0, 300));
      });

      test('has a strict CSP: no unsafe-inline, no unsafe-eval, frame-ancestors none', () => {
        const csp = String(res().headers['content-security-policy'] ?? '');
        // A JSON answer may load nothing at all; a page only its own origin's files.
        if (k.api) assert.equal(csp, "default-src 'none'; frame-ancestors 'none'");
        else {
          assert.match(csp, /default-src 'self'/);
          assert.match(csp, /object-src 'none'/);
        }
        assert.match(csp, /frame-ancestors 'none'/);
        assert.doesNotMatch(csp, /unsafe-inline/);
        assert.doesNotMatch(csp, /unsafe-eval/);
        assert.doesNotMatch(csp, /(^|[\s;])\*(;|\s|$)/, 'no wildcard source');
      });

      const fixed: Array<{ header: string; value: string | RegExp }> = [
        { header: 'x-content-type-options', value: 'nosniff' },
        { header: 'x-frame-options', value: 'DENY' },
        { header: 'cross-origin-resource-policy', value: 'same-origin' },
      ];
      if (!k.api) {
        // Document-only policies: they mean nothing on a JSON answer.
        fixed.push(
          { header: 'permissions-policy', value: /camera=\(\).*microphone=\(\)/ },
          { header: 'cross-origin-opener-policy', value: 'same-origin' },
          { header: 'referrer-policy', value: 'no-referrer' },
        );
      }
      for (const h of fixed) {
        test(`${h.header}`, () => {
          const value = res().headers[h.header];
          if (typeof h.value === 'string') assert.equal(value, h.value);
          else assert.match(String(value), h.value);
        });
      }

      test('has an X-Request-Id', () => {
        assert.match(String(res().headers['x-request-id']), /^[0-9a-f-]{36}$/);
      });

      test('no HSTS over plain HTTP', () => {
        assert.equal(res().headers['strict-transport-security'], undefined);
      });

      test('does not announce the server software', () => {
        assert.equal(res().headers['x-powered-by'], undefined);
        assert.equal(res().headers.server, undefined);
      });

      if (k.api) {
        test('is JSON and Cache-Control: no-store', () => {
          assert.match(String(res().headers['content-type']), /^application\/json/);
          assert.equal(res().headers['cache-control'], 'no-store');
        });
      }

      if (k.error && k.api) {
        test('the error body carries the same request id as the header', () => {
          assert.equal(res().body.error.requestId, res().headers['x-request-id']);
          assert.equal(typeof res().body.error.code, 'string');
        });
      }
    });
  }

  test('every response gets its own request id', () => {
    const ids = [...responses.values()].map((r) => r.headers['x-request-id']);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('a client-supplied X-Request-Id is not echoed', async () => {
    const res = await anon.json('GET', '/api/v1/nothing-here', undefined, { 'X-Request-Id': 'forged-id' });
    assert.notEqual(res.headers['x-request-id'], 'forged-id');
    assert.notEqual(res.body.error.requestId, 'forged-id');
    assert.equal(res.body.error.requestId, res.headers['x-request-id']);
  });

  test('the UI page is the app shell, HTML and not cached', () => {
    const res = responses.get('the UI page /')!;
    assert.match(res.text, /<title>Aether Panel<\/title>/);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('health probes', () => {
  let panel: TestPanel;
  before(async () => {
    ({ panel } = await panelWithAdmin());
  });
  after(() => panel.close());

  const probes = ['/healthz', '/readyz'];
  for (const path of probes) {
    test(`${path} answers 200 {"status":"ok"} without authentication`, async () => {
      const res = await new TestClient(panel.url).get(path);
      assert.equal(res.status, 200);
      assert.equal(res.text, '{"status":"ok"}');
      assert.equal(res.headers['set-cookie'], undefined);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    });
  }

  test('/readyz answers 503 not_ready when the database is gone', async () => {
    const broken = await panelWithAdmin();
    await broken.panel.db.destroy();
    try {
      const res = await new TestClient(broken.panel.url).get('/readyz');
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'not_ready');
      assert.doesNotMatch(res.text, /at .*\.ts:/);
    } finally {
      await broken.panel.close();
    }
  });
});
