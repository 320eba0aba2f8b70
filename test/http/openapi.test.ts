// Tests the OpenAPI 3.1 document: generated from the route declarations, covering every route with its access and schemas.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { allRoutes } from '../../src/http/app.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

describe('OpenAPI document', () => {
  let panel: TestPanel;
  before(async () => {
    panel = await startPanel();
  });
  after(() => panel.close());

  test('describes every declared route, with access, parameters and request schemas', async () => {
    const res = await fetch(`${panel.url}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { 'x-aether-access': string; parameters: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; additionalProperties?: unknown } }> } }>> };
    assert.equal(doc.openapi, '3.1.0');
    const declared = allRoutes(panel.services, 'test').flatMap((m) => m.routes.map((r) => ({ r, path: `${m.prefix}${r.path}`.replace(/:([A-Za-z]+)/g, '{$1}') })));
    for (const { r, path } of declared) {
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${path} documented`);
      const access = 'public' in r.access ? 'public' : 'authenticated' in r.access ? 'authenticated' : r.access.scope;
      assert.equal(op['x-aether-access'], access);
      for (const p of path.match(/\{(\w+)\}/g) ?? []) assert.ok(op.parameters.some((x) => x.in === 'path' && `{${x.name}}` === p), `${path} documents ${p}`);
      if (r.body) assert.ok(op.requestBody, `${path} documents its body`);
    }
    const login = doc.paths['/api/v1/auth/login']!.post!;
    const schema = login.requestBody!.content['application/json']!.schema;
    assert.deepEqual(Object.keys(schema.properties ?? {}).sort(), ['password', 'username']);
    assert.equal(schema.additionalProperties, false, 'unknown fields are refused, and the document says so');
    const audit = doc.paths['/api/v1/audit']!.get!;
    assert.deepEqual(audit.parameters.map((p) => p.name).sort(), ['actor', 'cursor', 'from', 'ip', 'limit', 'to', 'type']);
  });
});
