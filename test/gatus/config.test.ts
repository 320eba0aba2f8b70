// The Gatus configuration the panel writes, held to Gatus's own load rules: at least one endpoint, conditions in
// <VALUE> <COMPARATOR> <VALUE> form, unique group+name keys, no " or \ in names, every $ of user text doubled (Gatus
// expands variables in the whole file), secrets as ${VARIABLES} only; written whole with mode 0600.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkGatusConfig, gatusConfig, gatusKey, renderGatusConfig, unescapedDollars, writeGatusConfig, type GatusConfig, type GatusInputs } from '../../src/gatus/config.ts';

const base: GatusInputs = {
  panelUrl: 'http://aether:8080',
  sftp: { host: 'aether', port: 5657 },
  serversHost: 'host.docker.internal',
  servers: [],
  httpsUrl: 'https://panel.example.com',
  alerts: { url: 'http://aether:8080/api/v1/gatus/alerts', tokenEnv: 'AETHER_GATUS_TOKEN' },
  web: { port: 8081 },
  storagePath: '/data/gatus.db',
  access: { kind: 'public' },
};

const server = (i: number, name = `Server ${i}`) => ({ name, shortId: `s${String(i).padStart(7, '0')}`, ports: [{ name: 'game', hostPort: 25_000 + i, protocol: 'tcp' as const }, { name: 'voice', hostPort: 26_000 + i, protocol: 'udp' as const }] });

/** What Gatus reads after expanding variables (Go's os.ExpandEnv on the whole file: $$ is a $, ${X} its value). */
const expand = (text: string, env: Record<string, string>) => text.replace(/\$(\$|\{([A-Z0-9_]+)\})/g, (_m, a: string, name?: string) => (a === '$' ? '$' : (env[name!] ?? '')));

function roundTrip(input: GatusInputs) {
  const text = renderGatusConfig(gatusConfig(input));
  assert.deepEqual(unescapedDollars(text), []);
  const parsed = parse(expand(text, { AETHER_GATUS_TOKEN: 'tok', GATUS_BASIC: 'hash', GATUS_OIDC_SECRET: 'sec' })) as GatusConfig;
  assert.deepEqual(checkGatusConfig(parsed), [], 'what Gatus reads loads');
  return { text, parsed };
}

test('0, 1 and 50 servers: every file loads, with the panel, SFTP, the certificate and each TCP port', () => {
  for (const n of [0, 1, 50]) {
    const { parsed } = roundTrip({ ...base, servers: Array.from({ length: n }, (_, i) => server(i)) });
    assert.equal(parsed.endpoints.length, 3 + n, `${n} servers: one TCP check each, UDP ports left out`);
    assert.equal(parsed['skip-invalid-config-update'], true);
    assert.deepEqual(parsed.web, { port: 8081 });
    assert.deepEqual(parsed.storage, { type: 'sqlite', path: '/data/gatus.db' });
    assert.equal(parsed.endpoints[0]!.url, 'http://aether:8080/healthz');
    assert.ok(parsed.endpoints.find((e) => e.name === 'HTTPS certificate')!.conditions.includes('[CERTIFICATE_EXPIRATION] > 336h'));
    for (const e of parsed.endpoints) assert.deepEqual(e.alerts, [{ type: 'custom' }]);
  }
});

test('names with $, quotes, backslashes, control characters and unicode: escaped so Gatus loads them and shows them', () => {
  const names = ['Price $5 "VIP"', 'C:\\games\\srv', 'Ünïcødé 服务器 🎮', 'tab\there', '$HOME $$ ${PATH}'];
  const { text, parsed } = roundTrip({ ...base, servers: names.map((n, i) => server(i, n)) });
  const shown = parsed.endpoints.filter((e) => e.group === 'Servers').map((e) => e.name);
  assert.equal(shown[0], `Price $5 'VIP' game (s0000000)`, 'a $ is shown as typed, quotes become apostrophes');
  assert.equal(shown[1], `C:'games'srv game (s0000001)`);
  assert.equal(shown[2], 'Ünïcødé 服务器 🎮 game (s0000002)');
  assert.equal(shown[3], 'tab here game (s0000003)');
  assert.equal(shown[4], '$HOME $$ ${PATH} game (s0000004)', 'no variable of Gatus\'s environment leaks into a name');
  assert.ok(text.includes('$$HOME $$$$ $${PATH}'), 'each $ doubled in the file');
});

test('secrets are ${VARIABLES}, never written in; basic auth and OIDC access', () => {
  const basic = roundTrip({ ...base, access: { kind: 'basic', username: 'status', passwordBcryptBase64Env: 'GATUS_BASIC' } });
  assert.match(basic.text, /password-bcrypt-base64: \$\{GATUS_BASIC\}/);
  assert.match(basic.text, /Authorization: Bearer \$\{AETHER_GATUS_TOKEN\}/);
  const oidc = roundTrip({ ...base, access: { kind: 'oidc', issuerUrl: 'https://panel.example.com/oauth2', redirectUrl: 'https://status.example.com/authorization-code/callback', clientId: 'gatus', clientSecretEnv: 'GATUS_OIDC_SECRET' } });
  assert.match(oidc.text, /client-secret: \$\{GATUS_OIDC_SECRET\}/);
  assert.deepEqual((oidc.parsed.security as { oidc: { scopes: string[] } }).oidc.scopes, ['openid']);
  assert.throws(() => gatusConfig({ ...base, alerts: { url: 'http://x', tokenEnv: 'not a name' } }), /environment variable/);
});

test('the checker refuses what Gatus refuses', () => {
  const ok: GatusConfig['endpoints'][number] = { name: 'a', group: 'g', url: 'tcp://h:1', interval: '60s', conditions: ['[CONNECTED] == true'] };
  const problems = (endpoints: GatusConfig['endpoints']) => checkGatusConfig({ endpoints });
  assert.deepEqual(problems([ok]), []);
  assert.match(problems([]).join(), /at least one endpoint/);
  assert.match(problems([{ ...ok, conditions: ['[STATUS]==200'] }]).join(), /not <VALUE> <COMPARATOR> <VALUE>/);
  assert.match(problems([{ ...ok, conditions: [] }]).join(), /at least one condition/);
  assert.match(problems([{ ...ok, name: 'say "hi"' }]).join(), /" or \\/);
  assert.match(problems([{ ...ok, url: 'ftp://x' }]).join(), /url/);
  assert.match(problems([{ ...ok, interval: 60 as unknown as string }]).join(), /duration/);
  assert.match(problems([{ ...ok, name: 'API v1' }, { ...ok, name: 'api-v1' }]).join(), /same key/);
  assert.equal(gatusKey('API (v1)', 'endpoint'), 'api-(v1)_endpoint');
  assert.equal(gatusKey('', 'Front End'), '_front-end');
  // A $ the panel did not double is refused before anything is written.
  assert.throws(() => renderGatusConfig(gatusConfig({ ...base, storagePath: '/data/$weird/gatus.db' })), /unescaped \$/);
});

test('written whole, mode 0600, replacing the old file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aether-gatus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'gatus', 'config.yaml');
  writeGatusConfig(path, renderGatusConfig(gatusConfig(base)));
  writeGatusConfig(path, renderGatusConfig(gatusConfig({ ...base, servers: [server(1)] })));
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(dir, 'gatus')), ['config.yaml'], 'no temporary file left');
  assert.match(readFileSync(path, 'utf8'), /Server 1 game/);
});
