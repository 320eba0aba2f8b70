// The appliance image, built by the real Docker Engine from the Dockerfile with bases made of this host's Debian
// packages (no registry), run as the compose file runs it: read-only root, no capabilities, no privilege gain. Its
// /healthz answers, its HEALTHCHECK turns healthy, the one-time setup link it logs creates the first administrator in a
// real browser and the login page renders; it runs as uid 10001 and carries neither npm nor a compiler.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkGatusConfig, type GatusConfig } from '../../src/gatus/index.ts';
import { ensureLocalBaseImages } from '../../scripts/local-base-images.js';
import { dockerReachable, testImageCurrent } from '../../scripts/test-image.js';
import { systemClock } from '../../src/shared/clock.ts';
import { TestClient } from '../helpers/client.ts';
import { enableTwoFactor } from '../helpers/two-factor.ts';
import { launchChromium, needsChromium, screenshot } from '../helpers/chromium.ts';
import { needs } from '../helpers/require-component.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = 'aether-panel:test';

function docker(args: string[], opts: { input?: string; allowFail?: boolean } = {}): { status: number; out: string; err: string } {
  const res = spawnSync('docker', args, { encoding: 'utf8', input: opts.input, maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0 && !opts.allowFail) throw new Error(`docker ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return { status: res.status ?? -1, out: res.stdout, err: res.stderr };
}

/** One GET with node:http (status 0 when nothing answers yet). */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** Runs `check` until it stops throwing (its last error is thrown after `limitMs`), and returns its value. */
async function until<T>(check: () => T | Promise<T>, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('the appliance image builds without a registry and runs hardened', { timeout: 900_000 }, async (t) => {
  if (!needs(t, 'docker', dockerReachable(), 'engine not reachable at /var/run/docker.sock: apt-get install docker.io and start dockerd')) return;
  const toolchain = ['/usr/bin/g++', '/usr/bin/make', '/usr/bin/python3', '/usr/include/node/node.h'];
  if (!needs(t, 'a build toolchain', toolchain.every(existsSync), `(${toolchain.join(', ')}) for the locally made build image: apt-get install g++ make python3 and Node.js's headers`)) return;
  if (!needsChromium(t)) return;

  const { buildArgs } = ensureLocalBaseImages();
  const build = spawnSync('docker', ['build', '-q', ...buildArgs, '-t', IMAGE, ROOT], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(build.status, 0, `docker build failed:\n${build.stdout}\n${build.stderr}`);

  await t.test('the image declares the hardened defaults', () => {
    const config = JSON.parse(docker(['image', 'inspect', '--format', '{{json .Config}}', IMAGE]).out) as {
      User: string;
      Healthcheck?: { Test: string[] };
      Volumes: Record<string, unknown>;
      ExposedPorts: Record<string, unknown>;
    };
    assert.equal(config.User, '10001:10001');
    assert.deepEqual(config.Healthcheck?.Test, ['CMD', 'node', '/opt/aether/bin/healthcheck.js']);
    assert.deepEqual(Object.keys(config.Volumes).sort(), ['/var/backups/aether', '/var/lib/aether', '/var/log/aether']);
    assert.deepEqual(Object.keys(config.ExposedPorts).sort(), ['5657/tcp', '8080/tcp']);
  });

  await t.test('neither npm nor a compiler is in the final image', () => {
    const probe = `
      const fs = require('node:fs');
      const found = [];
      for (const dir of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin']) {
        for (const name of ['npm', 'npx', 'corepack', 'yarn', 'gcc', 'g++', 'cc', 'c++', 'clang', 'make', 'ld', 'as', 'python3']) {
          if (fs.existsSync(dir + '/' + name)) found.push(dir + '/' + name);
        }
      }
      if (fs.existsSync('/usr/local/lib/node_modules/npm') || fs.existsSync('/usr/lib/node_modules/npm')) found.push('npm package');
      if (fs.existsSync('/opt/aether/node_modules/vite') || fs.existsSync('/opt/aether/node_modules/typescript')) found.push('dev dependencies');
      if (!fs.existsSync('/opt/aether/dist/ui/index.html')) found.push('MISSING built UI');
      process.stdout.write(JSON.stringify(found));`;
    const out = docker(['run', '--rm', '--network', 'none', '--entrypoint', 'node', IMAGE, '-e', probe]).out;
    assert.deepEqual(JSON.parse(out), []);
  });

  const name = `aether-image-${randomBytes(4).toString('hex')}`;
  t.after(() => docker(['rm', '-f', '-v', name], { allowFail: true }));
  docker([
    'run', '-d', '--name', name,
    '--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    '--tmpfs', '/tmp:size=64m,mode=1777',
    '--health-interval', '2s', '--health-start-period', '60s',
    '-p', '127.0.0.1::8080', IMAGE,
  ]);
  const port = Number(docker(['port', name, '8080/tcp']).out.trim().split('\n')[0]!.split(':').pop());
  const url = `http://127.0.0.1:${port}`;

  await t.test('/healthz answers and the HEALTHCHECK turns healthy', { timeout: 300_000 }, async () => {
    await until(async () => {
      const res = await get(`${url}/healthz`);
      assert.equal(res.status, 200, `no answer yet; logs:\n${docker(['logs', name], { allowFail: true }).err}`);
      assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
    }, 90_000);
    await until(() => assert.equal(docker(['inspect', '--format', '{{.State.Health.Status}}', name]).out.trim(), 'healthy'), 90_000);
  });

  await t.test('it runs as uid 10001 on a read-only root', () => {
    // PID 1 is the panel itself (node, started by the ENTRYPOINT with no shell in between).
    const status = docker(['exec', name, 'node', '-e', "process.stdout.write(require('fs').readFileSync('/proc/1/status','utf8'))"]).out;
    const uids = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status);
    assert.ok(uids, status);
    assert.deepEqual(uids.slice(1), ['10001', '10001', '10001', '10001'], 'real, effective, saved and filesystem uid');
    assert.match(status, /^CapEff:\s+0+$/m, 'no effective capabilities');
    assert.match(status, /^NoNewPrivs:\s+1$/m);
    const write = docker(['exec', name, 'node', '-e', "require('fs').writeFileSync('/opt/aether/written', 'x')"], { allowFail: true });
    assert.notEqual(write.status, 0);
    assert.match(write.err, /EROFS|read-only file system/i);
    const mode = docker(['exec', name, 'node', '-e', "process.stdout.write((require('fs').statSync('/var/lib/aether/config.json').mode & 0o777).toString(8))"]).out;
    assert.equal(mode, '600', 'the configuration it wrote on first start is its own');
  });

  await t.test('the setup link it logs creates the first administrator, and the login page renders', { timeout: 300_000 }, async () => {
    const link = await until(() => {
      const logs = docker(['logs', name]);
      const m = /https?:\/\/[^\s]+\/setup\?token=([A-Za-z0-9_-]+)/.exec(`${logs.out}\n${logs.err}`);
      assert.ok(m, 'the one-time setup link is in `docker logs`');
      return m[1]!;
    }, 30_000);
    const browser = await launchChromium();
    t.after(() => browser.close());
    const page = await browser.newPage();
    await page.goto(`${url}/setup?token=${encodeURIComponent(link)}`);
    const password = `Image-${randomBytes(9).toString('base64url')}`;
    await page.getByTestId('setup-username').fill('root-admin');
    await page.getByTestId('setup-email').fill('admin@example.com');
    await page.getByTestId('setup-password').fill(password);
    await page.getByTestId('setup-password2').fill(password);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('page-title').filter({ hasText: /Dashboard|two-factor/i }).first().waitFor({ timeout: 30_000 });

    const fresh = await browser.newPage();
    await fresh.goto(`${url}/`);
    await fresh.waitForURL((u) => u.pathname === '/login');
    await fresh.getByTestId('login-username').waitFor();
    assert.equal(await fresh.getByTestId('page-title').textContent(), 'Sign in');
    await screenshot(fresh, 'appliance-image-login');
    await fresh.getByTestId('login-username').fill('root-admin');
    await fresh.getByTestId('login-password').fill(`${password}x`);
    await fresh.getByTestId('login-submit').click();
    await fresh.getByText(/incorrect|invalid|wrong/i).first().waitFor({ timeout: 15_000 });
    // The refused attempt reached the audit log on the logs volume.
    const audit = docker(['exec', name, 'node', '-e', "process.stdout.write(require('fs').readFileSync('/var/log/aether/audit.log','utf8'))"]).out;
    assert.match(audit, /"type":"auth\.login\.failure"/);
    assert.match(audit, /"type":"setup\.completed"/);
  });
  await t.test('the compose file runs the panel as documented, and `docker-compose logs aether` shows it', { timeout: 600_000 }, async (t2) => {
    if (!needs(t2, 'docker-compose', spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0, 'not found: apt-get install docker-compose')) return;
    const project = `aethertest${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'aether-compose-'));
    const serversDir = join(dir, 'servers');
    mkdirSync(serversDir);
    chownSync(serversDir, 10001, 10001);
    const net = 200 + Math.floor(Math.random() * 50);
    const envFile = join(dir, '.env');
    writeFileSync(envFile, [
      `COMPOSE_PROJECT_NAME=${project}`,
      'AETHER_DOMAIN=panel.example.com',
      `DOCKER_GID=${statSync('/var/run/docker.sock').gid}`,
      `AETHER_GATUS_TOKEN=${randomBytes(32).toString('hex')}`,
      `AETHER_SERVERS_DIR=${serversDir}`,
      `AETHER_IMAGE=${IMAGE}`,
      'AETHER_HTTP_PUBLISH=127.0.0.1:0',
      'AETHER_SFTP_PUBLISH=127.0.0.1:0',
      `AETHER_SUBNET=172.31.${net}.0/24`,
      `AETHER_NGINX_IP=172.31.${net}.10`,
    ].join('\n'), { mode: 0o600 });
    const compose = (args: string[], allowFail = false) => {
      const res = spawnSync('docker-compose', ['--env-file', envFile, '-f', join(ROOT, 'docker-compose.yml'), '-p', project, ...args], { encoding: 'utf8', cwd: ROOT });
      if (res.status !== 0 && !allowFail) throw new Error(`docker-compose ${args.join(' ')} failed: ${res.stderr}`);
      return `${res.stdout}${res.stderr}`;
    };
    t2.after(() => {
      compose(['down', '-v', '--remove-orphans'], true);
      rmSync(dir, { recursive: true, force: true });
    });
    compose(['config', '-q']);
    compose(['up', '-d', '--no-build', 'aether']);
    const id = compose(['ps', '-q', 'aether']).trim().split('\n').pop()!;
    await until(() => assert.equal(docker(['inspect', '--format', '{{.State.Health.Status}}', id]).out.trim(), 'healthy'), 120_000);
    const hostConfig = JSON.parse(docker(['inspect', '--format', '{{json .HostConfig}}', id]).out) as { ReadonlyRootfs: boolean; CapDrop: string[]; SecurityOpt: string[]; CapAdd: string[] | null };
    assert.equal(hostConfig.ReadonlyRootfs, true);
    assert.deepEqual(hostConfig.CapDrop, ['ALL']);
    assert.equal(hostConfig.CapAdd, null);
    assert.ok(hostConfig.SecurityOpt.includes('no-new-privileges:true'));
    const logs = compose(['logs', '--no-color', 'aether']);
    assert.match(logs, /panel listening/);
    assert.match(logs, /\/setup\?token=/);
    // Through the docker group it was given, uid 10001 reaches the Docker Engine the servers run on.
    const ping = docker(['exec', id, 'node', '-e', "require('http').get({ socketPath: '/var/run/docker.sock', path: '/_ping' }, (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => process.stdout.write(r.statusCode + ' ' + b)); })"]).out;
    assert.equal(ping, '200 OK');
    // It writes Gatus's file into the volume Gatus mounts read-only: mode 0600, a file Gatus loads.
    const gatus = await until(() => docker(['exec', id, 'node', '-e', "const fs = require('fs'); const p = '/etc/aether-gatus/config.yaml'; process.stdout.write(JSON.stringify({ mode: (fs.statSync(p).mode & 0o777).toString(8), text: fs.readFileSync(p, 'utf8') }))"]).out, 30_000);
    const { mode, text } = JSON.parse(gatus) as { mode: string; text: string };
    assert.equal(mode, '600');
    assert.deepEqual(checkGatusConfig(parse(text) as GatusConfig), []);
    assert.match(text, /url: http:\/\/aether:8080\/healthz/);
    assert.match(text, /Bearer \$\{AETHER_GATUS_TOKEN\}/);

    // A server run by the panel that is not root: its container runs as the panel's account, so the server writes its
    // files and the file manager reads them (and the other way round).
    if (!needs(t2, 'the test image', testImageCurrent(), 'aether-test/busybox:1 is missing or stale: npm run test:image')) return;
    const published = docker(['port', id, '8080/tcp']).out.trim().split('\n')[0]!;
    const panelUrl = `http://127.0.0.1:${published.split(':').pop()}`;
    const token = /\/setup\?token=([A-Za-z0-9_-]+)/.exec(logs)![1]!;
    // The compose file sets the public URL (https://AETHER_DOMAIN): requests come from that origin, as through nginx.
    const admin = new TestClient(panelUrl, { origin: 'https://panel.example.com' });
    const password = `Compose-${randomBytes(9).toString('base64url')}`;
    const setup = await admin.post('/api/v1/setup', { token, username: 'root-admin', email: 'admin@example.com', password });
    assert.equal(setup.status, 201, setup.text);
    admin.csrf = setup.body.csrfToken;
    // Administrators must use 2FA by default: the first one sets it up before anything else.
    await enableTwoFactor(admin, systemClock);
    const created = await admin.post('/api/v1/servers', { name: 'Compose game', template: 'test-server' });
    assert.equal(created.status, 201, created.text);
    const server = created.body.server as { id: string; shortId: string };
    t2.after(() => docker(['rm', '-f', `aether-${server.shortId}`], { allowFail: true }));
    const uploaded = await admin.raw('PUT', `/api/v1/servers/${server.id}/files/upload?path=${encodeURIComponent('/from-panel.txt')}`, { body: 'written by the panel\n', headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': admin.csrf! } });
    assert.ok(uploaded.status === 200 || uploaded.status === 201, uploaded.text);
    const started = await admin.post(`/api/v1/servers/${server.id}/power`, { action: 'start' });
    assert.equal(started.status, 200, started.text);
    const inside = docker(['exec', `aether-${server.shortId}`, 'sh', '-c', 'id -u; cat /data/from-panel.txt; echo written by the server > /data/from-server.txt']).out;
    assert.equal(inside, `10001\nwritten by the panel\n`);
    const read = await admin.get(`/api/v1/servers/${server.id}/files/content?path=${encodeURIComponent('/from-server.txt')}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.content, 'written by the server\n');
    const stopped = await admin.post(`/api/v1/servers/${server.id}/power`, { action: 'stop' });
    assert.equal(stopped.status, 200, stopped.text);
    assert.equal((await admin.del(`/api/v1/servers/${server.id}`)).status, 204);
  });
});
