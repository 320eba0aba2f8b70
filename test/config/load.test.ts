// Tests the config loader: defaults written once with mode 0600, environment overrides, and errors that name the key.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config/index.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'aether-config-'));

describe('config loader', () => {
  test('writes safe defaults with mode 0600 on first start, and reads them back', () => {
    const dir = tmp();
    const path = join(dir, 'config.json');
    const config = loadConfig({ path, env: {} });
    assert.equal(config.created, true);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(config.http.port, 8080);
    assert.equal(config.http.host, '127.0.0.1');
    assert.deepEqual(config.http.trustedProxies, []);
    assert.equal(config.paths.dataDir, join(dir, 'data'));
    assert.equal(config.paths.logDir, join(dir, 'data', 'logs'));
    assert.equal(config.paths.database, join(dir, 'data', 'database.db'));
    assert.equal(config.session.idleTimeoutMinutes, 30);
    assert.equal(config.session.absoluteTimeoutHours, 12);
    assert.equal(config.passwordPolicy.minLength, 12);
    assert.equal(config.passwordHashing.memoryCost, 19456);
    const again = loadConfig({ path, env: {} });
    assert.equal(again.created, false);
    assert.ok(Object.isFrozen(again) && Object.isFrozen(again.http));
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).http.port, 8080);
  });

  test('environment overrides win over the file', () => {
    const dir = tmp();
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ http: { port: 9000 } }));
    const config = loadConfig({
      path,
      env: { AETHER_HTTP_PORT: '9100', AETHER_HTTP_HOST: '0.0.0.0', AETHER_DATA_DIR: '/srv/aether', AETHER_LOG_DIR: 'logs', AETHER_TRUSTED_PROXIES: '10.0.0.0/8, ::1', AETHER_SFTP_PORT: '2222' },
    });
    assert.equal(config.http.port, 9100);
    assert.equal(config.sftp.port, 2222);
    assert.equal(loadConfig({ path, env: {} }).sftp.port, 5657, 'SFTP listens on 5657 unless told otherwise');
    assert.equal(config.http.host, '0.0.0.0');
    assert.equal(config.paths.dataDir, '/srv/aether');
    assert.equal(config.paths.logDir, join(dir, 'logs'));
    assert.deepEqual(config.http.trustedProxies, ['10.0.0.0/8', '::1']);
  });

  test('the container image\'s environment places servers, backups and Gatus', () => {
    const path = join(tmp(), 'config.json');
    writeFileSync(path, JSON.stringify({ gatus: { configPath: 'gatus/config.yaml' } }));
    const config = loadConfig({
      path,
      env: {
        AETHER_SERVERS_DIR: '/var/lib/aether/servers',
        AETHER_BACKUP_DIR: '/var/backups/aether',
        AETHER_GATUS_CONFIG: '/etc/aether-gatus/config.yaml',
        AETHER_GATUS_API_URL: 'http://gatus:8080',
        AETHER_GATUS_PANEL_URL: 'http://aether:8080',
        AETHER_GATUS_ALERT_URL: 'http://aether:8080/gatus/alerts',
        AETHER_GATUS_SERVERS_HOST: 'host.docker.internal',
      },
    });
    assert.equal(config.servers.dataDir, '/var/lib/aether/servers');
    assert.equal(config.paths.backupDir, '/var/backups/aether');
    assert.equal(config.gatus.configPath, '/etc/aether-gatus/config.yaml');
    assert.equal(config.gatus.apiUrl, 'http://gatus:8080');
    assert.equal(config.gatus.panelUrl, 'http://aether:8080');
    assert.equal(config.gatus.alertUrl, 'http://aether:8080/gatus/alerts');
    assert.equal(config.gatus.serversHost, 'host.docker.internal');
    assert.throws(() => loadConfig({ path, env: { AETHER_GATUS_API_URL: 'ftp://gatus' } }), (err: unknown) => err instanceof ConfigError && /gatus\.apiUrl/.test(err.message));
  });

  test('AETHER_REDIS_URL turns on the shared counters; anything but a redis URL is refused', () => {
    const path = join(tmp(), 'config.json');
    writeFileSync(path, '{}');
    assert.equal(loadConfig({ path, env: {} }).redis.url, null);
    assert.equal(loadConfig({ path, env: { AETHER_REDIS_URL: 'redis://10.0.0.5:6379/2' } }).redis.url, 'redis://10.0.0.5:6379/2');
    assert.throws(() => loadConfig({ path, env: { AETHER_REDIS_URL: 'http://10.0.0.5' } }), (err: unknown) => err instanceof ConfigError && /redis\.url/.test(err.message));
  });

  const bad: Array<{ name: string; file?: unknown; text?: string; env?: Record<string, string>; mentions: RegExp }> = [
    { name: 'unknown top-level key', file: { htpp: {} }, mentions: /htpp: unknown key/ },
    { name: 'unknown nested key', file: { http: { prot: 1 } }, mentions: /http\.prot: unknown key/ },
    { name: 'wrong type', file: { http: { port: '80' } }, mentions: /http\.port/ },
    { name: 'port out of range', file: { http: { port: 70000 } }, mentions: /http\.port/ },
    { name: 'bad CIDR in trusted proxies', file: { http: { trustedProxies: ['10.0.0.0/33'] } }, mentions: /http\.trustedProxies\.0/ },
    { name: 'bad allowlist entry', file: { security: { adminAllowlist: ['nope'] } }, mentions: /security\.adminAllowlist\.0/ },
    { name: 'weak policy', file: { passwordPolicy: { minLength: 4 } }, mentions: /passwordPolicy\.minLength/ },
    { name: 'unknown database client', file: { database: { client: 'oracle' } }, mentions: /database\.client/ },
    { name: 'a network pool smaller than a /28', file: { servers: { networkPool: '10.213.0.0/29' } }, mentions: /servers\.networkPool: must be an IPv4 range of \/28 or larger/ },
    { name: 'an IPv6 network pool', file: { servers: { networkPool: 'fd00::/64' } }, mentions: /servers\.networkPool/ },
    { name: 'not JSON', text: '{ "http": ', mentions: /not valid JSON/ },
    { name: 'JSON array', text: '[]', mentions: /must contain a JSON object/ },
    { name: 'bad env port', file: {}, env: { AETHER_HTTP_PORT: 'eighty' }, mentions: /http\.port/ },
    { name: 'bad SFTP port', file: {}, env: { AETHER_SFTP_PORT: '99999' }, mentions: /sftp\.port/ },
    { name: 'bad database URL', file: {}, env: { AETHER_DATABASE_URL: 'oracle://x/y' }, mentions: /AETHER_DATABASE_URL/ },
  ];
  for (const c of bad) {
    test(`refuses ${c.name} with a message naming it`, () => {
      const path = join(tmp(), 'config.json');
      writeFileSync(path, c.text ?? JSON.stringify(c.file));
      assert.throws(() => loadConfig({ path, env: c.env ?? {} }), (err: unknown) => err instanceof ConfigError && c.mentions.test(err.message));
    });
  }

  test('database URLs for every engine', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite:data/x.db'), { client: 'sqlite', filename: 'data/x.db', busyTimeoutMs: 5000 });
    assert.deepEqual(parseDatabaseUrl('mysql://u:p%40ss@db:3306/aether'), { client: 'mysql', host: 'db', port: 3306, user: 'u', password: 'p@ss', database: 'aether', ssl: false });
    assert.equal(parseDatabaseUrl('postgres://u@db/aether?ssl=true').client, 'postgres');
    assert.throws(() => parseDatabaseUrl('mysql://db/aether'), ConfigError);
  });
});
