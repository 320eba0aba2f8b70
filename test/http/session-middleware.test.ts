// The session middleware on its own, over the panel's real session store: when it saves, re-keys, destroys and sets cookies.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Koa from 'koa';
import type { AppContext } from '../../src/http/context.ts';
import { prepareRequest } from '../../src/http/middleware/prepare.ts';
import { PLAIN_COOKIE, sessionMiddleware } from '../../src/http/middleware/session.ts';
import { TestClient } from '../helpers/client.ts';
import { startPanel, type TestPanel } from '../helpers/panel.ts';

type Step = (ctx: AppContext) => void;

describe('session middleware', () => {
  let panel: TestPanel;
  let server: Server;
  let base: string;
  // Each request runs the step named by its path, then answers with what the route saw.
  const steps = new Map<string, Step>();
  // The real store, with its writes counted.
  let saves = 0;

  before(async () => {
    panel = await startPanel();
    const app = new Koa();
    app.use(prepareRequest([]) as unknown as Koa.Middleware);
    const real = panel.services.sessions;
    const sessions: typeof real = { ...real, save: (...args) => ((saves += 1), real.save(...args)) };
    app.use(sessionMiddleware({ sessions, sameSite: 'strict' }) as unknown as Koa.Middleware);
    app.use(((ctx: AppContext) => {
      const seen = ctx.session ? { ...ctx.session } : null;
      steps.get(ctx.path)?.(ctx);
      ctx.body = { seen, sessionId: ctx.state.session?.id ?? null };
    }) as unknown as Koa.Middleware);
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    steps.set('/set', (ctx) => Object.assign(ctx.session!, { theme: 'dark', note: 'first' }));
    steps.set('/change', (ctx) => {
      ctx.session!.note = 'second';
    });
    steps.set('/same', (ctx) => {
      ctx.session!.note = String(ctx.session!.note);
    });
    steps.set('/regenerate', (ctx) => ctx.session!.regenerate());
    steps.set('/end', (ctx) => {
      ctx.session = null;
    });
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await panel.close();
  });

  const rows = () => panel.db('sessions').select('id', 'data');
  const setCookie = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);

  test('an empty session is neither stored nor given a cookie', async () => {
    const before = (await rows()).length;
    const writes = saves;
    const res = await new TestClient(base).get('/nothing');
    assert.equal(saves, writes);
    assert.deepEqual(res.body.seen, {});
    assert.deepEqual(setCookie(res), []);
    assert.equal((await rows()).length, before);
  });

  test('data put in a session is stored under a new 256-bit id sent as an HttpOnly, SameSite=Strict cookie', async () => {
    const client = new TestClient(base);
    const res = await client.get('/set');
    const [cookie] = setCookie(res);
    assert.match(String(cookie), new RegExp(`^${PLAIN_COOKIE}=[A-Za-z0-9_-]{43}; path=/; expires=.*; samesite=strict; httponly$`));
    const next = await client.get('/nothing');
    assert.deepEqual(next.body.seen, { theme: 'dark', note: 'first' });
  });

  test('an unchanged session is not written again and gets no new cookie; a changed one is written under the same id', async () => {
    const client = new TestClient(base);
    await client.get('/set');
    const id = (await client.get('/nothing')).body.sessionId as string;
    const stored = async () => JSON.parse(((await panel.db('sessions').where({ id }).first()) as { data: string }).data);

    const writes = saves;
    const same = await client.get('/same');
    assert.deepEqual(setCookie(same), []);
    assert.equal(saves, writes, 'nothing written');
    assert.deepEqual(await stored(), { theme: 'dark', note: 'first' });

    const changed = await client.get('/change');
    assert.equal(saves, writes + 1, 'written once');
    assert.deepEqual(setCookie(changed), [], 'the id stays');
    assert.deepEqual(await stored(), { theme: 'dark', note: 'second' });
    assert.equal((await client.get('/nothing')).body.sessionId, id);
  });

  test('regenerate() moves the data to a new id and the old id stops working at once', async () => {
    const client = new TestClient(base);
    await client.get('/set');
    const oldCookie = client.cookieHeader();
    const oldId = (await client.get('/nothing')).body.sessionId as string;
    const res = await client.get('/regenerate');
    assert.equal(setCookie(res).length, 1);
    assert.notEqual(client.cookieHeader(), oldCookie);
    const after = await client.get('/nothing');
    assert.deepEqual(after.body.seen, { theme: 'dark', note: 'first' });
    assert.notEqual(after.body.sessionId, oldId);
    assert.equal(await panel.db('sessions').where({ id: oldId }).first(), undefined);

    const replay = new TestClient(base);
    replay.jar.set(PLAIN_COOKIE, oldCookie.split('=')[1] as string);
    assert.deepEqual((await replay.get('/nothing')).body.seen, {}, 'the old id is an empty session now');
  });

  test('ending a session deletes it on the server and expires the cookie', async () => {
    const client = new TestClient(base);
    await client.get('/set');
    const id = (await client.get('/nothing')).body.sessionId as string;
    const res = await client.get('/end');
    assert.match(String(setCookie(res)[0]), new RegExp(`^${PLAIN_COOKIE}=; path=/; expires=Thu, 01 Jan 1970`));
    assert.equal(await panel.db('sessions').where({ id }).first(), undefined);
    assert.deepEqual((await client.get('/nothing')).body.seen, {});
  });

  test('a forged or unknown id is an empty session, and saving it issues a fresh id instead of adopting the forged one', async () => {
    const client = new TestClient(base);
    client.jar.set(PLAIN_COOKIE, 'planted-by-an-attacker');
    const res = await client.get('/set');
    assert.equal(setCookie(res).length, 1);
    assert.notEqual(client.jar.get(PLAIN_COOKIE), 'planted-by-an-attacker');
  });
});
