// docker-compose.yml as written: every service hardened alike, Gatus given the panel's file read-only, and the nginx
// service's rewrite of the native site (appliance/nginx/aether.conf) still finding every line it changes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Service = {
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  volumes?: string[];
  ports?: string[];
  user?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
};
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };

test('every service runs without capabilities (but what nginx needs), privilege gain or a writable root', () => {
  assert.deepEqual(Object.keys(compose.services).sort(), ['aether', 'gatus', 'nginx']);
  for (const [name, service] of Object.entries(compose.services)) {
    assert.equal(service.read_only, true, `${name}: read_only`);
    assert.deepEqual(service.cap_drop, ['ALL'], `${name}: cap_drop`);
    assert.ok(service.security_opt?.includes('no-new-privileges:true'), `${name}: no-new-privileges`);
  }
  assert.equal(compose.services.aether!.cap_add, undefined);
  assert.equal(compose.services.gatus!.cap_add, undefined);
  assert.deepEqual(compose.services.nginx!.cap_add, ['NET_BIND_SERVICE', 'SETUID', 'SETGID', 'CHOWN']);
});

test('the documented ports, named volumes, and Gatus reading the panel\'s file read-only as the panel\'s uid', () => {
  assert.deepEqual(compose.services.aether!.ports, ['${AETHER_HTTP_PUBLISH:-127.0.0.1:8080}:8080', '${AETHER_SFTP_PUBLISH:-5657}:5657']);
  assert.deepEqual(compose.services.gatus!.ports, ['8081:8081']);
  assert.deepEqual(compose.services.nginx!.ports, ['80:80', '443:443']);
  assert.deepEqual(Object.keys(compose.volumes).sort(), ['aether-backups', 'aether-data', 'aether-logs', 'gatus-config', 'gatus-data', 'nginx-cache']);
  assert.ok(compose.services.aether!.volumes!.includes('gatus-config:/etc/aether-gatus'));
  assert.ok(compose.services.gatus!.volumes!.includes('gatus-config:/config:ro'));
  assert.equal(compose.services.aether!.environment!.AETHER_GATUS_CONFIG, '/etc/aether-gatus/config.yaml');
  assert.equal(compose.services.gatus!.environment!.GATUS_CONFIG_PATH, '/config/config.yaml');
  // The panel writes the file mode 0600 as uid 10001 (the image's USER): Gatus must be that account to read it.
  assert.equal(compose.services.gatus!.user, '10001:10001');
  assert.match(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'), /^USER 10001:10001$/m);
});

test('the nginx service\'s rewrite of the native site changes every line it means to', (t) => {
  const nginx = compose.services.nginx!;
  assert.deepEqual(nginx.entrypoint, ['/bin/sh', '-c']);
  const script = nginx.command![0]!.replace(/\$\$/g, '$'); // compose's own escape for a literal $
  const rewrite = script.slice(0, script.indexOf(' && nginx -t'));
  const dir = mkdtempSync(join(tmpdir(), 'aether-compose-nginx-'));
  const out = join(dir, 'default.conf');
  const cmd = rewrite.replace('/etc/aether-nginx/aether.conf', join(ROOT, 'appliance/nginx/aether.conf')).replace('/etc/nginx/conf.d/default.conf', out);
  const res = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', env: { PATH: process.env.PATH, AETHER_DOMAIN: 'panel.example.test' } });
  assert.equal(res.status, 0, res.stderr);
  const site = readFileSync(out, 'utf8');
  t.diagnostic(`${site.split('\n').length} lines`);
  assert.doesNotMatch(site, /aether\.example\.com/);
  assert.match(site, /server_name panel\.example\.test;/);
  assert.match(site, /ssl_certificate\s+\/etc\/letsencrypt\/live\/panel\.example\.test\/fullchain\.pem;/);
  assert.match(site, /^\s*server aether:8080;$/m);
  assert.doesNotMatch(site, /^\s*server 127\.0\.0\.1:8080;/m);
  assert.match(site, /^\s*resolver 127\.0\.0\.11 /m);
  assert.doesNotMatch(site, /listen \[::\]/);
  assert.match(site, /listen 443 ssl;/);
});
