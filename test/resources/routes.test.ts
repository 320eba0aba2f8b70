// The resources API routes before they are mounted: scope nodes.view, query validation, answers matching their schemas, OpenAPI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { SCOPES } from '../../src/auth/scopes.ts';
import type { Db } from '../../src/db/index.ts';
import { buildOpenApi } from '../../src/http/openapi.ts';
import type { AnyRoute } from '../../src/http/route.ts';
import { resourcesRoutes } from '../../src/http/routes/resources.routes.ts';
import { parseInput } from '../../src/http/validation.ts';
import { createResourcesService, type ResourcesService } from '../../src/resources/index.ts';
import { AppError } from '../../src/shared/errors.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { D, disk, H, M, recordingSink, rule, S, sample, T0, tempDb } from './helpers.ts';

describe('resources routes', () => {
  let db: Db;
  let resources: ResourcesService;
  const clock = createManualClock(T0);
  let routes: AnyRoute[];
  before(async () => {
    db = await tempDb();
    const cpuHigh = rule({ id: 'cpu-high', metric: 'cpu', above: 90, for: '5m', clear_below: 85 });
    const diskHigh = rule({ id: 'disk-high', metric: 'disk', above: 90, for: '1m', clear_below: 85 });
    let i = 0;
    resources = createResourcesService({
      db,
      clock,
      logger: pino({ level: 'silent' }),
      intervalMs: 10 * S,
      rules: [cpuHigh, diskHigh],
      alerts: recordingSink(),
      hostname: 'web-1',
      sampler: { sample: async () => sample(clock.now(), { cpu: 95, disks: [disk('/', 40), disk('/srv', 96 + (i++ % 2))] }) },
    });
    for (let n = 0; n < 12; n += 1) {
      await resources.tick();
      clock.advance(10 * S);
    }
    routes = resourcesRoutes({ resources, clock });
  });
  after(() => db.destroy());

  const route = (path: string) => routes.find((r) => r.path === path)!;

  /** Runs a route's validation and handler as the router would; returns the body, checked against the declared 200 schema. */
  async function call(path: string, query: Record<string, string> = {}): Promise<any> {
    const r = route(path);
    const ctx = { body: undefined as unknown };
    await r.handler(ctx as never, { body: undefined, params: undefined, query: parseInput(r.query, query, 'query') });
    r.responses[200]!.schema!.parse(ctx.body);
    return ctx.body;
  }

  async function refusal(path: string, query: Record<string, string>): Promise<AppError> {
    try {
      await call(path, query);
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('accepted');
  }

  test('every route needs nodes.view, a scope that exists', () => {
    assert.deepEqual(routes.map((r) => `${r.method} ${r.path}`), ['GET /resources/current', 'GET /resources/history', 'GET /resources/rules']);
    for (const r of routes) assert.deepEqual(r.access, { scope: 'nodes.view' });
    assert.ok(SCOPES.some((s) => s.name === 'nodes.view'));
  });

  test('GET /resources/current: the latest sample with its time as ISO', async () => {
    const body = await call('/resources/current');
    assert.equal(body.host, 'web-1');
    assert.equal(body.intervalSeconds, 10);
    assert.equal(body.running, false);
    assert.equal(body.sample.cpu, 95);
    assert.equal(body.sample.ts, new Date(T0 + 110 * S).toISOString());
  });

  test('GET /resources/history: a range or from/to, as chart columns', async () => {
    const hour = await call('/resources/history', { range: '1h' });
    assert.equal(hour.resolution, '10s');
    assert.equal(hour.stepSeconds, 10);
    assert.equal(hour.ts.length, 12);
    assert.equal(hour.series.cpu.length, 12);
    assert.deepEqual(hour.disks.map((d: { mount: string }) => d.mount), ['/', '/srv']);
    const month = await call('/resources/history', { range: '30d' });
    assert.equal(month.resolution, '5m');
    assert.equal(month.max.cpu[0], 95);
    const span = await call('/resources/history', { from: new Date(T0).toISOString(), to: new Date(T0 + M).toISOString() });
    assert.equal(span.ts.length, 7);
    const forced = await call('/resources/history', { range: '24h', resolution: '5m' });
    assert.equal(forced.resolution, '5m');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['an unknown range', { range: '2h' }, /query\.range/],
    ['a range with from', { range: '1h', from: new Date(T0).toISOString() }, /range, or from and to/],
    ['from after to', { from: new Date(T0 + H).toISOString(), to: new Date(T0).toISOString() }, /before to/],
    ['more than 31 days', { from: new Date(T0 - 40 * D).toISOString(), to: new Date(T0).toISOString() }, /31 days/],
    ['a time that is not one', { from: 'yesterday' }, /ISO 8601/],
    ['an unknown parameter', { range: '1h', host: 'x' }, /Unknown field/],
  ];
  for (const [name, query, message] of bad) {
    test(`GET /resources/history refuses ${name} with 400`, async () => {
      const err = await refusal('/resources/history', query);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'validation_failed');
      assert.match(err.message, message);
    });
  }

  test('GET /resources/rules: each rule with its state per target', async () => {
    const { items } = await call('/resources/rules');
    const byId = new Map(items.map((r: { id: string }) => [r.id, r]));
    const cpu = byId.get('cpu-high') as Record<string, unknown>;
    assert.deepEqual([cpu.state, cpu.since, cpu.value, cpu.forSeconds, cpu.clearForSeconds], ['pending', new Date(T0).toISOString(), 95, 300, 60]);
    const diskRule = byId.get('disk-high') as { state: string; targets: Array<{ target: string; state: string }> };
    assert.equal(diskRule.state, 'firing');
    assert.deepEqual(diskRule.targets.map((t) => [t.target, t.state]), [['/', 'ok'], ['/srv', 'firing']]);
  });

  test('the routes have an OpenAPI description', () => {
    const doc = buildOpenApi([{ prefix: '/api/v1', routes }], 'test') as { paths: Record<string, { get: { 'x-aether-access': string; parameters: Array<{ name: string }> } }> };
    assert.equal(doc.paths['/api/v1/resources/current']!.get['x-aether-access'], 'nodes.view');
    assert.deepEqual(doc.paths['/api/v1/resources/history']!.get.parameters.map((p) => p.name).sort(), ['from', 'range', 'resolution', 'to']);
  });
});
