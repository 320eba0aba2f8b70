// Gatus's configuration file follows the panel on a real Docker Engine: written at start with the panel and SFTP, a
// server's TCP port added while it runs and taken out when it stops; always a file Gatus loads, mode 0600. The server's
// uptime is read back from Gatus (a stand-in answering as Gatus documents) by the key Gatus gives the endpoint.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkGatusConfig, gatusKey, type GatusConfig } from '../../src/gatus/index.ts';
import { needsDocker } from '../helpers/docker.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';
import { eventually } from '../helpers/mail-server.ts';
import { testPortRange } from '../helpers/ports.ts';

test('the Gatus file follows the servers', { timeout: 120_000 }, async (t) => {
  if (!needsDocker(t)) return;
  const ports = testPortRange();
  // Gatus's public routes as it documents them: the health badge's JSON and uptime ratios as plain text.
  const asked: string[] = [];
  const standIn = createServer((req, res) => {
    asked.push(decodeURIComponent(req.url ?? ''));
    if (req.url?.endsWith('/health/badge.shields')) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"schemaVersion":1,"label":"gatus","message":"down","color":"red"}');
    else if (req.url?.endsWith('/uptimes/24h')) res.writeHead(200, { 'Content-Type': 'text/plain' }).end('0.958333');
    else if (req.url?.endsWith('/uptimes/7d')) res.writeHead(200, { 'Content-Type': 'text/plain' }).end('0.994048');
    else res.writeHead(404).end('endpoint not found');
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  t.after(() => standIn.close());
  const { panel, admin } = await panelWithAdmin({
    servers: { portRange: ports },
    sftp: { enabled: true },
    gatus: { configPath: 'gatus/config.yaml', alertUrl: 'http://aether:8080/gatus/alerts', serversHost: 'game-host', apiUrl: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}` },
  });
  let serverId = '';
  t.after(async () => {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`);
    await panel.close();
  });
  const path = join(dirname(panel.config.configPath), 'gatus', 'config.yaml');
  assert.equal(panel.gatus.path, path);
  const read = () => parse(readFileSync(path, 'utf8').replace(/\$\$/g, '$').replace(/\$\{AETHER_GATUS_TOKEN\}/g, 't')) as GatusConfig;
  await eventually(() => existsSync(path), 'the file to be written', 10_000, 50);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(read().endpoints.map((e) => e.name), ['Web panel', 'SFTP']);
  assert.equal(read().endpoints[1]!.url, `tcp://game-host:${panel.sftpPort()}`);
  assert.deepEqual(checkGatusConfig(read()), []);

  const created = await admin.post('/api/v1/servers', { name: 'Costs $5 "daily"', template: 'test-server' });
  assert.equal(created.status, 201, created.text);
  serverId = created.body.server.id;
  const hostPort = created.body.server.ports[0].hostPort as number;
  assert.equal(read().endpoints.length, 2, 'a stopped server is not checked');
  assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'start' })).status, 200);
  const name = `Costs $5 'daily' game (${created.body.server.shortId})`;
  await eventually(() => read().endpoints.some((e) => e.name === name), 'the running server in the file', 10_000, 50);
  const endpoint = read().endpoints.find((e) => e.name === name)!;
  assert.equal(endpoint.url, `tcp://game-host:${hostPort}`);
  assert.equal(endpoint.group, 'Servers');
  assert.deepEqual(checkGatusConfig(read()), []);

  // Its uptime, read from Gatus by the key Gatus gives that endpoint.
  const uptime = await admin.get(`/api/v1/servers/${serverId}/uptime`);
  assert.equal(uptime.status, 200, uptime.text);
  assert.deepEqual(uptime.body, { available: true, items: [{ port: 'game', key: gatusKey('Servers', name), state: 'down', uptime24h: 0.958333, uptime7d: 0.994048 }] });
  assert.ok(asked.includes(`/api/v1/endpoints/${gatusKey('Servers', name)}/uptimes/24h`), asked.join(' '));

  assert.equal((await admin.post(`/api/v1/servers/${serverId}/power`, { action: 'kill' })).status, 200);
  await eventually(() => !read().endpoints.some((e) => e.name === name), 'the stopped server out of the file', 10_000, 50);
  assert.equal(statSync(path).mode & 0o777, 0o600);
});
