// The hardened host files of appliance/, held to the real tools: nginx (-t, and a running TLS proxy in front of a
// stub panel), sshd (-t, -T and a running server), fail2ban-regex on real audit.log lines and fail2ban-client's own
// configuration check, systemd-analyze security, shellcheck, logrotate against a running panel, and the firewall and
// install scripts' dry runs. Only ufw and firewall-cmd (and systemctl for the certbot hook) are stand-ins that record
// their calls: no firewall or service manager runs in a test container.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, createServer as createHttpServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { checkAuditLog, verifyAuditChain } from '../../src/audit/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { resolveClient } from '../../src/http/middleware/client-ip.ts';
import { parseCidr } from '../../src/shared/cidr.ts';
import { FAILURE_TYPES, INJECTED_IPS, expectedOf, produceAuditSample } from '../fixtures/appliance/audit-sample.ts';
import { TestClient } from '../helpers/client.ts';
import { eventually, freePort } from '../helpers/mail-server.ts';
import { startPanel } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';
import { HAS_SFTP_CLIENT } from '../helpers/sftp-client.ts';
import { HAS_SSHD, SSHD, SSHD_MISSING } from '../helpers/sshd.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APPLIANCE = join(ROOT, 'appliance');
const app = (path: string) => join(APPLIANCE, path);
const FIXTURE = join(ROOT, 'test', 'fixtures', 'appliance', 'audit-sample.log');
const DOMAIN = 'aether.example.com';
const IS_ROOT = process.getuid?.() === 0;

const temps: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `aether-appliance-${name}-`));
  temps.push(dir);
  return dir;
};
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A program on PATH or in the sbin directories (nginx, sshd and fail2ban-* live there). */
function which(name: string): string | null {
  for (const dir of `${process.env.PATH ?? ''}:/usr/sbin:/sbin:/usr/bin`.split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The program's path, or null after marking the test skipped (failed under AETHER_TEST_REQUIRE_ALL=1). */
function tool(t: TestContext, name: string, debianPackage: string): string | null {
  const path = which(name);
  return needs(t, name, path !== null, `not found: apt-get install ${debianPackage}`) ? path : null;
}

/** The same, without blocking the event loop (for scripts that talk to a server of this process). */
function runAsync(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): SpawnSyncReturns<string> {
  const res = spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, input: opts.input, cwd: opts.cwd, timeout: 120_000 });
  if (res.error) throw res.error;
  return res;
}

/** Replaces `from` (which must be there) in text: a rewrite that silently did nothing would test the wrong file. */
function must(text: string, from: string | RegExp, to: string): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  assert.ok(found, `expected ${String(from)} in the file`);
  return typeof from === 'string' ? text.replaceAll(from, to) : text.replace(from, to);
}

// ------------------------------------------------------------------------------------------------------------------
// nginx

type NginxSite = { dir: string; conf: string; httpsPort: number; httpPort: number };

/** A CA and a certificate for DOMAIN signed by it, in Let's Encrypt's layout (fullchain, privkey, chain). */
function makeCertificates(openssl: string, dir: string): void {
  const live = join(dir, 'live');
  mkdirSync(live, { recursive: true });
  const ssl = (...args: string[]) => execFileSync(openssl, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(live, 'chain.pem'), '-days', '2', '-subj', '/CN=Aether Test CA');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(live, 'privkey.pem'), '-out', join(dir, 'leaf.csr'), '-subj', `/CN=${DOMAIN}`);
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=DNS:${DOMAIN}\n`);
  ssl('x509', '-req', '-in', join(dir, 'leaf.csr'), '-CA', join(live, 'chain.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', join(dir, 'leaf.pem'), '-days', '2', '-extfile', join(dir, 'leaf.ext'));
  writeFileSync(join(live, 'fullchain.pem'), readFileSync(join(dir, 'leaf.pem'), 'utf8') + readFileSync(join(live, 'chain.pem'), 'utf8'));
}

/**
 * The shipped site, moved into a temporary prefix: certificates, webroot and upstream rewritten to test ones, the
 * listeners to free loopback ports (IPv6 listeners dropped), inside a minimal nginx.conf with writable paths.
 */
async function nginxSite(openssl: string, file: string, upstreamPort: number): Promise<NginxSite> {
  const dir = tempDir('nginx');
  // nginx's workers (nobody, when the master is root) read the webroot.
  chmodSync(dir, 0o755);
  makeCertificates(openssl, dir);
  mkdirSync(join(dir, 'webroot', '.well-known', 'acme-challenge'), { recursive: true });
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  let site = readFileSync(file, 'utf8');
  site = must(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
  site = must(site, /^\s*listen \[::\]:80;\n/m, '');
  site = must(site, '/var/www/letsencrypt', join(dir, 'webroot'));
  if (site.includes('listen 443 ssl;')) {
    site = must(site, 'listen 443 ssl;', `listen 127.0.0.1:${httpsPort} ssl;`);
    site = must(site, /^\s*listen \[::\]:443 ssl;\n/m, '');
    site = must(site, `/etc/letsencrypt/live/${DOMAIN}/`, `${join(dir, 'live')}/`);
    site = must(site, 'server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`);
  }
  writeFileSync(join(dir, 'site.conf'), site);
  const temp = (name: string) => join(dir, name);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      `pid ${temp('nginx.pid')};`,
      `error_log ${temp('error.log')};`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${temp('access.log')};`,
      `  client_body_temp_path ${temp('body')}; proxy_temp_path ${temp('proxy')}; fastcgi_temp_path ${temp('fastcgi')};`,
      `  uwsgi_temp_path ${temp('uwsgi')}; scgi_temp_path ${temp('scgi')};`,
      `  include ${temp('site.conf')};`,
      '}',
    ].join('\n') + '\n',
  );
  return { dir, conf: join(dir, 'nginx.conf'), httpsPort, httpPort };
}

const nginxArgs = (site: NginxSite) => ['-p', site.dir, '-e', join(site.dir, 'error.log'), '-c', site.conf];

/** A stand-in for the panel: answers every request with the headers it got, and echoes over WebSocket. */
async function stubPanel() {
  const seen: IncomingMessage['headers'][] = [];
  const upgrades: IncomingMessage['headers'][] = [];
  const server = createHttpServer((req, res) => {
    seen.push(req.headers);
    // The panel sends its own HSTS once it sees X-Forwarded-Proto: https; nginx must not pass a second one.
    res.setHeader('Strict-Transport-Security', 'max-age=1');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ path: req.url }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    upgrades.push(req.headers);
    if (!/^\/api\/v1\/servers\/[A-Za-z0-9-]+\/console$/.test(req.url ?? '')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send('hello from the console');
      ws.on('message', (data) => ws.send(`echo:${String(data)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    upgrades,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Reply = { status: number; headers: IncomingMessage['headers']; raw: string[]; body: string };

function fetchOver(secure: boolean, port: number, path: string, opts: { headers?: Record<string, string>; method?: string; endAfterHeaders?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', localAddress: '127.0.0.5', agent: false as const, headers: { Host: DOMAIN, ...opts.headers } };
    const req = secure ? httpsRequest({ ...options, servername: DOMAIN, rejectUnauthorized: false }) : httpRequest(options);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: res.rawHeaders, body }));
      if (opts.endAfterHeaders) res.resume();
    });
    req.on('error', reject);
    if (opts.endAfterHeaders) req.flushHeaders();
    else req.end();
  });
}

/** A TLS handshake with the proxy: the protocol and cipher agreed, or the error. */
function handshake(port: number, options: ConnectionOptions): Promise<{ protocol: string | null; cipher: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: DOMAIN, rejectUnauthorized: false, ...options }, () => {
      resolve({ protocol: socket.getProtocol(), cipher: socket.getCipher().standardName ?? socket.getCipher().name });
      socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve({ error: `${err.code ?? ''} ${err.message}` }));
  });
}

describe('nginx TLS proxy (appliance/nginx)', () => {
  test('nginx -t accepts the TLS site and the port-80-only site used before the first certificate', async (t) => {
    const nginx = tool(t, 'nginx', 'nginx');
    const openssl = nginx && tool(t, 'openssl', 'openssl');
    if (!nginx || !openssl) return;
    for (const file of ['nginx/aether.conf', 'nginx/aether-acme-only.conf']) {
      const site = await nginxSite(openssl, app(file), 8080);
      const res = run(nginx, ['-t', ...nginxArgs(site)]);
      assert.equal(res.status, 0, `${file}: ${res.stderr}`);
      assert.match(res.stderr, /syntax is ok/);
      assert.match(res.stderr, /test is successful/);
      assert.doesNotMatch(res.stderr, /\[emerg\]|duplicate/);
    }
  });

  test('running: one HSTS header, TLS 1.2/1.3 with the Mozilla ciphers only, the client\'s own address forwarded, WebSocket upgraded, uploads up to 4 GiB, ACME on port 80', async (t) => {
    const nginx = tool(t, 'nginx', 'nginx');
    const openssl = nginx && tool(t, 'openssl', 'openssl');
    if (!nginx || !openssl) return;
    const stub = await stubPanel();
    const site = await nginxSite(openssl, app('nginx/aether.conf'), stub.port);
    const proc = spawn(nginx, [...nginxArgs(site), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    try {
      await eventually(async () => proc.exitCode !== null || (await handshake(site.httpsPort, {}).then((r) => !('error' in r))), 'nginx to listen');
      assert.equal(proc.exitCode, null, `nginx ended: ${stderr}`);

      // Headers: HSTS exactly once (nginx's), no version in Server; the upstream sees the connecting address only.
      const res = await fetchOver(true, site.httpsPort, '/api/v1/health?x=1', { headers: { 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Proto': 'http', Forwarded: 'for=6.6.6.6', 'X-Forwarded-Host': 'evil.example' } });
      assert.equal(res.status, 200, res.body);
      const sts = res.raw.filter((_, i) => i % 2 === 0 && res.raw[i]!.toLowerCase() === 'strict-transport-security').length;
      assert.equal(sts, 1, 'one Strict-Transport-Security header');
      assert.equal(res.headers['strict-transport-security'], 'max-age=63072000');
      assert.equal(res.headers.server, 'nginx', 'server_tokens off');
      const got = stub.seen.at(-1)!;
      assert.equal(got['x-forwarded-for'], '127.0.0.5', 'the client\'s address, not the forged 6.6.6.6');
      assert.equal(got['x-forwarded-proto'], 'https');
      assert.equal(got.host, DOMAIN);
      assert.equal(got.forwarded, undefined);
      assert.equal(got['x-forwarded-host'], undefined);
      // What the panel makes of those headers when nginx (127.0.0.1) is its trusted proxy.
      assert.deepEqual(resolveClient('127.0.0.1', false, { forwardedFor: got['x-forwarded-for'] as string, forwardedProto: got['x-forwarded-proto'] as string }, [parseCidr('127.0.0.1/32')]), { ip: '127.0.0.5', secure: true });

      // Protocols and ciphers.
      const modern = await handshake(site.httpsPort, {});
      assert.deepEqual(modern, { protocol: 'TLSv1.3', cipher: (modern as { cipher: string }).cipher });
      const tls12 = await handshake(site.httpsPort, { maxVersion: 'TLSv1.2' });
      assert.equal((tls12 as { protocol: string }).protocol, 'TLSv1.2', JSON.stringify(tls12));
      assert.match((tls12 as { cipher: string }).cipher, /^TLS_ECDHE_ECDSA_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
      // The client below could do TLS 1.1 and a CBC suite (security level 0): only the server can refuse them.
      const legacy = { ciphers: 'DEFAULT:@SECLEVEL=0' };
      const tls11 = await handshake(site.httpsPort, { ...legacy, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
      assert.ok('error' in tls11, `TLS 1.1 must be refused: ${JSON.stringify(tls11)}`);
      assert.match(tls11.error, /protocol version|unsupported protocol|alert/i);
      const cbc = await handshake(site.httpsPort, { ...legacy, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA256:@SECLEVEL=0' });
      assert.ok('error' in cbc, `a CBC suite outside the Mozilla list must be refused: ${JSON.stringify(cbc)}`);
      const control = await handshake(site.httpsPort, { ...legacy, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:@SECLEVEL=0' });
      assert.equal((control as { protocol: string }).protocol, 'TLSv1.2', 'the same client gets in with a listed suite');

      // The console's WebSocket, through the proxy, both ways.
      const ws = new WebSocket(`wss://127.0.0.1:${site.httpsPort}/api/v1/servers/srv-1/console`, { rejectUnauthorized: false, localAddress: '127.0.0.5', headers: { Host: DOMAIN, 'X-Forwarded-For': '6.6.6.6' } });
      const messages: string[] = [];
      ws.on('message', (d) => messages.push(String(d)));
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      ws.send('say hi');
      await eventually(() => messages.length >= 2, 'console messages through nginx', 10_000);
      assert.deepEqual(messages, ['hello from the console', 'echo:say hi']);
      ws.close();
      const upgrade = stub.upgrades.at(-1)!;
      assert.equal(upgrade.upgrade, 'websocket');
      assert.equal(upgrade['x-forwarded-for'], '127.0.0.5');
      assert.equal(upgrade['x-forwarded-proto'], 'https');

      // Upload size: nginx's limit is the panel's default files.maxUploadBytes (4 GiB); one byte more is refused
      // from the headers alone.
      assert.equal((configSchema.parse({}) as { files: { maxUploadBytes: number } }).files.maxUploadBytes, 4 * 1024 ** 3);
      const tooBig = await fetchOver(true, site.httpsPort, '/api/v1/servers/srv-1/files/content?path=big.bin', { method: 'PUT', headers: { 'Content-Length': String(4 * 1024 ** 3 + 1) }, endAfterHeaders: true });
      assert.equal(tooBig.status, 413);

      // Port 80: the ACME challenge from the webroot, everything else redirected to HTTPS.
      writeFileSync(join(site.dir, 'webroot', '.well-known', 'acme-challenge', 'tok-123'), 'tok-123.thumbprint');
      const acme = await fetchOver(false, site.httpPort, '/.well-known/acme-challenge/tok-123');
      assert.deepEqual([acme.status, acme.body], [200, 'tok-123.thumbprint']);
      const missing = await fetchOver(false, site.httpPort, '/.well-known/acme-challenge/nope');
      assert.equal(missing.status, 404);
      const redirect = await fetchOver(false, site.httpPort, '/login?next=%2Fservers');
      assert.deepEqual([redirect.status, redirect.headers.location], [301, `https://${DOMAIN}/login?next=%2Fservers`]);
      assert.equal(stub.seen.filter((h) => h['x-forwarded-proto'] !== 'https').length, 0, 'nothing reached the panel over plain HTTP');
    } finally {
      proc.kill('SIGTERM');
      await exited;
      await stub.close();
    }
  });
});

// ------------------------------------------------------------------------------------------------------------------
// sshd

describe('sshd drop-in (appliance/ssh/aether-sshd.conf)', () => {
  /** A main sshd_config as the distributions write it: the drop-ins included first, weaker settings after them. */
  function sshdConfig(dir: string): string {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, 'host')]);
    const conf = join(dir, 'sshd_config');
    writeFileSync(conf, [`Include ${app('ssh/aether-sshd.conf')}`, `HostKey ${join(dir, 'host')}`, `PidFile ${join(dir, 'sshd.pid')}`, 'PasswordAuthentication yes', 'PermitRootLogin yes', 'X11Forwarding yes', 'Subsystem sftp internal-sftp', ''].join('\n'));
    return conf;
  }

  test('sshd -t accepts it; sshd -T shows port 2022, keys only, no root, modern algorithms, even with weaker lines after it', (t) => {
    if (!needs(t, 'sshd', HAS_SSHD, SSHD_MISSING)) return;
    const conf = sshdConfig(tempDir('sshd'));
    const check = run(SSHD, ['-t', '-f', conf]);
    assert.equal(check.status, 0, check.stderr);
    const dump = run(SSHD, ['-T', '-f', conf]);
    assert.equal(dump.status, 0, dump.stderr);
    const settings = new Map(dump.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]));
    const expected: Record<string, string> = {
      port: '2022',
      passwordauthentication: 'no',
      kbdinteractiveauthentication: 'no',
      permitrootlogin: 'no',
      pubkeyauthentication: 'yes',
      authenticationmethods: 'publickey',
      permitemptypasswords: 'no',
      maxauthtries: '3',
      logingracetime: '30',
      x11forwarding: 'no',
      allowagentforwarding: 'no',
      allowtcpforwarding: 'local',
      permittunnel: 'no',
      clientaliveinterval: '300',
      requiredrsasize: '3072',
    };
    for (const [key, value] of Object.entries(expected)) assert.equal(settings.get(key), value, key);
    assert.equal(settings.get('kexalgorithms')!.split(',')[0], 'sntrup761x25519-sha512@openssh.com');
    assert.deepEqual(settings.get('macs')!.split(',').filter((m) => !m.includes('-etm@')), [], 'encrypt-then-MAC only');
    assert.deepEqual(settings.get('ciphers')!.split(',').filter((c) => c.includes('cbc') || c.includes('3des')), []);
    for (const key of ['kexalgorithms', 'hostkeyalgorithms', 'pubkeyacceptedalgorithms']) {
      assert.deepEqual(settings.get(key)!.split(',').filter((a) => /sha1|ssh-rsa$|ssh-dss|nistp.*-sha1/.test(a)), [], `${key}: no SHA-1, DSA or ssh-rsa`);
    }
  });

  test('a running sshd with it refuses passwords and legacy algorithms from OpenSSH\'s own client', async (t) => {
    if (!needs(t, 'sshd', HAS_SSHD, SSHD_MISSING)) return;
    const ssh = tool(t, 'ssh', 'openssh-client');
    if (!ssh) return;
    const dir = tempDir('sshd-run');
    const conf = sshdConfig(dir);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const port = await freePort();
    // -p replaces the drop-in's Port for the test (a port of its own); everything else is as shipped.
    const child = spawn(SSHD, ['-D', '-e', '-f', conf, '-p', String(port), '-o', 'ListenAddress=127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      await eventually(() => log.includes('Server listening') || child.exitCode !== null, 'sshd to listen');
      assert.equal(child.exitCode, null, log);
      const attempt = (...opts: string[]) =>
        new Promise<string>((resolve) => {
          const c = spawn(ssh, ['-F', '/dev/null', '-p', String(port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PubkeyAuthentication=no', ...opts, 'nobody@127.0.0.1', 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
          let err = '';
          c.stderr.on('data', (d: Buffer) => (err += d.toString()));
          c.on('close', () => resolve(err));
        });
      assert.match(await attempt('-o', 'PreferredAuthentications=password,keyboard-interactive'), /Permission denied \(publickey\)/);
      assert.match(await attempt('-o', 'KexAlgorithms=diffie-hellman-group14-sha1'), /no matching key exchange method/);
      assert.match(await attempt('-o', 'MACs=hmac-sha2-256', '-o', 'Ciphers=aes128-ctr'), /no matching MAC/);
      assert.match(await attempt('-o', 'Ciphers=aes128-cbc'), /no matching cipher/);
      // The modern defaults of the same client get as far as the key step.
      assert.match(await attempt(), /Permission denied \(publickey\)/);
    } finally {
      child.kill();
      await exited;
    }
  });
});

// ------------------------------------------------------------------------------------------------------------------
// fail2ban

type Matched = { time: number; ip: string; line: string };

/** fail2ban-regex's verdict on each line: the address and time it took from every matched one. */
function fail2banRegex(bin: string, log: string, filter: string): { matched: Matched[]; summary: string } {
  // A time zone far from UTC: the "Z" of the time field must be honoured, not the host's zone.
  const env = { ...process.env, TZ: 'Asia/Tokyo' };
  const out = run(bin, ['-o', '<time>\t<ip>\t<msg>', log, filter], { env });
  assert.equal(out.status, 0, out.stderr);
  const matched = out.stdout
    .split('\n')
    .filter(Boolean)
    .map((row) => {
      const [time, ip, ...rest] = row.split('\t');
      return { time: Number(time), ip: ip!, line: rest.join('\t') };
    });
  const summary = run(bin, [log, filter], { env });
  return { matched, summary: /Lines: .*/.exec(summary.stdout)?.[0] ?? summary.stdout };
}

/** Holds fail2ban-regex's matches against what each audit line calls for: failures matched with their own ip. */
function checkMatches(lines: string[], matched: Matched[]): { failures: number; others: number } {
  const byLine = new Map(matched.map((m) => [m.line, m]));
  let failures = 0;
  for (const line of lines) {
    const want = expectedOf(line);
    const got = byLine.get(line);
    if (!want.match) {
      assert.equal(got, undefined, `must not match: ${line}`);
      continue;
    }
    failures += 1;
    assert.ok(got, `must match: ${line}`);
    assert.equal(got.ip, want.host, `the address is the line's "ip" field: ${line}`);
    assert.equal(got.time, Math.floor(Date.parse(want.time) / 1000), `the time is the line's "time" field: ${line}`);
  }
  assert.equal(matched.length, failures, 'nothing else matched');
  for (const ip of INJECTED_IPS) assert.ok(!matched.some((m) => m.ip === ip), `${ip} only appears in hostile text`);
  return { failures, others: lines.length - failures };
}

describe('fail2ban (appliance/fail2ban)', () => {
  test('the annotated sample audit.log: every failed login matched with its own ip and time, no success, no injected address', (t) => {
    const bin = tool(t, 'fail2ban-regex', 'fail2ban');
    if (!bin) return;
    const text = readFileSync(FIXTURE, 'utf8');
    const lines = text.split('\n').filter((l) => l.startsWith('{'));
    // The annotations (# failJSON: ...) say the same as the event types.
    const notes = text.split('\n').filter((l) => l.startsWith('# failJSON: ')).map((l) => JSON.parse(l.slice('# failJSON: '.length)) as unknown);
    assert.deepEqual(notes, lines.map(expectedOf));
    const types = new Set(lines.map((l) => (JSON.parse(l) as { type: string }).type));
    for (const type of [...FAILURE_TYPES, 'auth.login.success', 'sftp.login']) assert.ok(types.has(type), `the sample has ${type}`);
    const { matched, summary } = fail2banRegex(bin, FIXTURE, app('fail2ban/filter.d/aether.conf'));
    const counts = checkMatches(lines, matched);
    assert.deepEqual(counts, { failures: 8, others: 10 });
    assert.match(summary, /18 lines, 0 ignored, 8 matched, 10 missed/);
    t.diagnostic(`fail2ban-regex on the sample: ${summary}`);
  });

  test('lines a running panel writes now (HTTP, 2FA, SFTP): the same verdicts; a key offered without a signature leaves no failure', async (t) => {
    const bin = tool(t, 'fail2ban-regex', 'fail2ban');
    if (!bin || !needs(t, 'sftp', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) return;
    const sample = await produceAuditSample();
    const lines = sample.text.split('\n').filter((l) => l.startsWith('{'));
    const events = lines.map((l) => JSON.parse(l) as { type: string; actor: { name: string | null } });
    assert.equal(events.filter((e) => e.type === 'sftp.auth.failure' && e.actor.name === sample.keyQueryUser).length, 0, 'a key asked about without a signature is no failed login');
    assert.equal(events.filter((e) => e.type === 'sftp.auth.failure').length, 2);
    const file = join(tempDir('audit'), 'audit.log');
    writeFileSync(file, sample.text);
    const { matched, summary } = fail2banRegex(bin, file, app('fail2ban/filter.d/aether.conf'));
    const counts = checkMatches(lines, matched);
    assert.equal(counts.failures, 8);
    t.diagnostic(`fail2ban-regex on a fresh panel's audit.log: ${summary}`);
  });

  test('fail2ban-client checks the jails with the filter: aether on the audit log, sshd on port 2022 from the journal', (t) => {
    const client = tool(t, 'fail2ban-client', 'fail2ban');
    if (!client) return;
    if (!needs(t, 'fail2ban configuration', existsSync('/etc/fail2ban/jail.conf'), 'not found at /etc/fail2ban: apt-get install fail2ban')) return;
    const conf = join(tempDir('f2b'), 'fail2ban');
    cpSync('/etc/fail2ban', conf, { recursive: true });
    cpSync(app('fail2ban/filter.d/aether.conf'), join(conf, 'filter.d', 'aether.conf'));
    // The log path moved to a file that exists (fail2ban refuses a jail without one, as it would on the host
    // before the panel's first start: the install script creates the file).
    const log = join(tempDir('f2b-log'), 'audit.log');
    writeFileSync(log, '');
    const jail = must(readFileSync(app('fail2ban/jail.d/aether.local'), 'utf8'), 'logpath  = /var/log/aether/audit.log', `logpath  = ${log}`);
    writeFileSync(join(conf, 'jail.d', 'aether.local'), jail);
    const check = run(client, ['-c', conf, '--test']);
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout + check.stderr, /configuration test is successful/);
    const dump = run(client, ['-c', conf, '-d']).stdout;
    for (const line of [
      "['add', 'aether', 'polling']",
      `['set', 'aether', 'addlogpath', '${log}', 'head']`,
      "['set', 'aether', 'maxretry', 5]",
      "['set', 'aether', 'datepattern', '^\\\\{\"time\":\"(%Y-%m-%dT%H:%M:%S\\\\.%f%z)\"']",
      "['add', 'sshd', 'systemd']",
      "['start', 'aether']",
      "['start', 'sshd']",
    ]) {
      assert.ok(dump.includes(line), `${line} in:\n${dump.split('\n').filter((l) => l.includes("'aether'")).join('\n')}`);
    }
    assert.ok(dump.includes("['port', '2022']"), 'sshd bans on port 2022');
    assert.ok(dump.includes("['port', 'http,https,8080,5657']"), 'aether bans on nginx, the panel and SFTP');
    assert.ok(dump.includes("'addfailregex', '^\\\\{\"time\":"), 'the aether filter is loaded');
    // The installed copy must also pass without the rewrite: its only problem is the missing log file.
    cpSync(app('fail2ban/jail.d/aether.local'), join(conf, 'jail.d', 'aether.local'));
    const missing = run(client, ['-c', conf, '--test']);
    assert.match(missing.stdout + missing.stderr, /Have not found any log file for aether jail/);
  });
});

// ------------------------------------------------------------------------------------------------------------------
// systemd

describe('systemd unit (appliance/systemd/aether.service)', () => {
  test('systemd-analyze security rates its exposure 2.0 or lower; systemd-analyze verify accepts it', (t) => {
    const analyze = tool(t, 'systemd-analyze', 'systemd');
    if (!analyze) return;
    // As the install script does: ExecStart with the node that is there.
    const dir = tempDir('unit');
    const unit = join(dir, 'aether.service');
    writeFileSync(unit, must(readFileSync(app('systemd/aether.service'), 'utf8'), 'ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    const res = run(analyze, ['security', '--offline=true', '--no-pager', unit]);
    const m = /Overall exposure level for aether\.service: (\d+(?:\.\d+)?)/.exec(res.stdout);
    assert.ok(m, res.stdout + res.stderr);
    const exposure = Number(m[1]);
    t.diagnostic(`systemd-analyze security: exposure ${exposure}`);
    assert.ok(exposure <= 2.0, `exposure ${exposure} > 2.0:\n${res.stdout.split('\n').filter((l) => l.startsWith('✗')).join('\n')}`);
    // Deliberate: Node's JIT needs writable+executable memory.
    assert.match(res.stdout, /✗ MemoryDenyWriteExecute=/);
    for (const kept of ['ProtectSystem=', 'NoNewPrivileges=', 'PrivateDevices=', 'SystemCallFilter=~@privileged', 'RestrictNamespaces=~user', 'CapabilityBoundingSet=~CAP_SYS_ADMIN']) {
      assert.ok(res.stdout.split('\n').some((l) => l.startsWith('✓') && l.includes(kept)), `${kept} is in force`);
    }
    const verify = run(analyze, ['verify', unit]);
    assert.equal(verify.status, 0, verify.stderr);
    assert.doesNotMatch(verify.stderr, /aether\.service/);
  });
});

// ------------------------------------------------------------------------------------------------------------------
// shell scripts

/** Every shell script: appliance/**\/*.sh and every tracked file whose first line names sh or bash. */
function shellScripts(): Array<{ file: string; shell: 'bash' | 'sh' }> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sh')) found.add(p);
    }
  };
  walk(APPLIANCE);
  const tracked = run('git', ['ls-files', '-z'], { cwd: ROOT });
  if (tracked.status === 0) {
    for (const f of tracked.stdout.split('\0').filter(Boolean)) {
      const p = join(ROOT, f);
      if (!existsSync(p) || !statSync(p).isFile() || statSync(p).size > 1_000_000) continue;
      const first = readFileSync(p, 'utf8').split('\n', 1)[0]!;
      if (/^#!.*\b(ba)?sh\b/.test(first)) found.add(p);
    }
  }
  // A sourced file has no #! line: its `# shellcheck shell=` directive names its shell.
  const isBash = (file: string) => /^(#!.*\bbash\b|# shellcheck shell=bash\b)/.test(readFileSync(file, 'utf8').split('\n', 1)[0]!);
  return [...found].sort().map((file) => ({ file, shell: isBash(file) ? 'bash' : 'sh' }));
}

describe('shell scripts', () => {
  test('shellcheck and the shell\'s own syntax check pass on every shell script (appliance/ and the rest of the repository)', (t) => {
    const shellcheck = tool(t, 'shellcheck', 'shellcheck');
    if (!shellcheck) return;
    const scripts = shellScripts();
    const names = scripts.map((s) => relative(ROOT, s.file));
    for (const expected of ['appliance/install.sh', 'appliance/firewall/ufw.sh', 'appliance/firewall/firewalld.sh', 'appliance/firewall/common.sh', 'appliance/certbot/aether-reload-nginx.sh', '.ci/run']) {
      assert.ok(names.includes(expected), `${expected} is checked (found: ${names.join(', ')})`);
    }
    for (const { file, shell } of scripts) {
      const syntax = run(shell, ['-n', file]);
      assert.equal(syntax.status, 0, `${shell} -n ${relative(ROOT, file)}: ${syntax.stderr}`);
      const lint = run(shellcheck, ['-x', '-P', dirname(file), file]);
      assert.equal(lint.status, 0, `shellcheck ${relative(ROOT, file)}:\n${lint.stdout}${lint.stderr}`);
    }
    t.diagnostic(`checked: ${names.join(', ')}`);
  });
});

// ------------------------------------------------------------------------------------------------------------------
// firewall scripts

/** A stand-in for ufw that keeps its rules in `dir` and records every call. */
const UFW_SHIM = `#!/usr/bin/env bash
set -euo pipefail
state="$SHIM_STATE"
printf '%s\\n' "$*" >>"$state/calls"
touch "$state/added"
case "$*" in
  "show added") echo "Added user rules (see 'ufw status' for running firewall):"; if [[ -s "$state/added" ]]; then cat "$state/added"; else echo "(None)"; fi ;;
  "status") if [[ -f "$state/active" ]]; then echo "Status: active"; else echo "Status: inactive"; fi ;;
  "status verbose") echo "Status: active" ;;
  "--force enable") touch "$state/active"; echo "Firewall is active and enabled on system startup" ;;
  allow\\ *|deny\\ *|limit\\ *) grep -qxF "ufw $*" "$state/added" || echo "ufw $*" >>"$state/added"; echo "Rule added" ;;
  delete\\ *) args="$*"; rule="ufw \${args#delete }"; grep -vxF "$rule" "$state/added" >"$state/added.new" || true; mv "$state/added.new" "$state/added"; echo "Rule deleted" ;;
  *) echo "ufw shim: unexpected: $*" >&2; exit 9 ;;
esac
`;

/** A stand-in for firewall-cmd (permanent ports and services of the default zone) that records every call. */
const FIREWALLD_SHIM = `#!/usr/bin/env bash
set -euo pipefail
state="$SHIM_STATE"
printf '%s\\n' "$*" >>"$state/calls"
touch "$state/ports" "$state/services"
list() { tr '\\n' ' ' <"$state/$1" | sed 's/ $//'; echo; }
add() { grep -qxF "$2" "$state/$1" || echo "$2" >>"$state/$1"; echo success; }
remove() { grep -vxF "$2" "$state/$1" >"$state/$1.new" || true; mv "$state/$1.new" "$state/$1"; echo success; }
case "$*" in
  "--state") echo running ;;
  "--permanent --list-ports"|"--list-ports") list ports ;;
  "--permanent --list-services"|"--list-services") list services ;;
  "--permanent --add-port="*) add ports "\${2#--add-port=}" ;;
  "--permanent --remove-port="*) remove ports "\${2#--remove-port=}" ;;
  "--permanent --add-service="*) add services "\${2#--add-service=}" ;;
  "--permanent --remove-service="*) remove services "\${2#--remove-service=}" ;;
  "--reload") echo success ;;
  *) echo "firewall-cmd shim: unexpected: $*" >&2; exit 9 ;;
esac
`;

const READS = new Set(['show added', 'status', 'status verbose', '--state', '--permanent --list-ports', '--permanent --list-services', '--list-ports', '--list-services']);

/** An SSH banner on a loopback port, as sshd on 2022 would answer. */
async function sshBanner(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.end('SSH-2.0-test\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

type Firewall = { script: string; tool: string; shim: string; fresh: Record<string, string>; seed: Record<string, string>; open: (port: string) => string; close22: string[]; keep22: string; enable: string[] };

const FIREWALLS: Firewall[] = [
  {
    script: 'firewall/ufw.sh',
    tool: 'ufw',
    shim: UFW_SHIM,
    // A fresh ufw: no rules, off.
    fresh: {},
    // A host where the admin allowed SSH and the panel once, ufw still off.
    seed: { added: 'ufw allow 22/tcp\nufw allow 8080/tcp\n' },
    open: (port) => `ufw allow ${port}`,
    close22: ['ufw delete allow 22/tcp', 'ufw deny 22/tcp'],
    keep22: 'ufw allow 22/tcp',
    enable: ['ufw --force enable'],
  },
  {
    script: 'firewall/firewalld.sh',
    tool: 'firewall-cmd',
    shim: FIREWALLD_SHIM,
    // A fresh firewalld: Fedora's default zone lets ssh in.
    fresh: { services: 'ssh\ndhcpv6-client\n' },
    // Fedora's default zone.
    seed: { services: 'ssh\ndhcpv6-client\n', ports: '8080/tcp\n' },
    open: (port) => `firewall-cmd --permanent --add-port=${port}`,
    close22: ['firewall-cmd --permanent --remove-service=ssh'],
    keep22: 'firewall-cmd --permanent --add-service=ssh',
    enable: ['firewall-cmd --reload'],
  },
];

const DOCUMENTED_PORTS = ['8080/tcp', '5657/tcp', '8081/tcp', '2022/tcp', '80/tcp', '443/tcp'];

describe('firewall scripts (appliance/firewall)', () => {
  function setup(fw: Firewall, fresh = false) {
    const dir = tempDir('fw');
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'bin', fw.tool), fw.shim, { mode: 0o755 });
    for (const [name, text] of Object.entries(fresh ? fw.fresh : fw.seed)) writeFileSync(join(dir, 'state', name), text);
    const calls = () => (existsSync(join(dir, 'state', 'calls')) ? readFileSync(join(dir, 'state', 'calls'), 'utf8').split('\n').filter(Boolean) : []);
    const exec = (args: string[], sshPort: number) => {
      const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, SHIM_STATE: join(dir, 'state'), AETHER_SSH_CHECK_HOST: '127.0.0.1', AETHER_SSH_CHECK_PORT: String(sshPort) };
      return runAsync('bash', [app(fw.script), ...args], { env });
    };
    return { dir, calls, exec };
  }
  const wouldRun = (out: string) => out.split('\n').filter((l) => l.startsWith('would run: ')).map((l) => l.slice('would run: '.length));
  const changing = (calls: string[]) => calls.filter((c) => !READS.has(c));

  for (const fw of FIREWALLS) {
    test(`${fw.script} --dry-run: exactly the documented ports; 22 kept open (loudly) while nothing answers SSH on the check port`, async () => {
      const { exec, calls } = setup(fw, true);
      const closed = await freePort();
      const res = await exec(['--dry-run'], closed);
      assert.equal(res.status, 0, res.stderr);
      const expected = [...DOCUMENTED_PORTS.map(fw.open), ...(fw.tool === 'ufw' ? [fw.keep22] : []), ...fw.enable];
      assert.deepEqual(wouldRun(res.stdout), expected);
      for (const c of fw.close22) assert.ok(!res.stdout.includes(c), `${c} not while 2022 is silent`);
      assert.match(res.stderr, /NOTHING ANSWERS SSH ON 127\.0\.0\.1:\d+\. Port 22 stays OPEN/);
      assert.deepEqual(changing(calls()), [], 'a dry run only reads');
    });

    test(`${fw.script} --dry-run with sshd answering: port 22 is closed too`, async () => {
      const { exec, calls } = setup(fw, true);
      const banner = await sshBanner();
      try {
        const res = await exec(['--dry-run'], banner.port);
        assert.equal(res.status, 0, res.stderr);
        const fresh = fw.tool === 'ufw' ? ['ufw deny 22/tcp'] : ['firewall-cmd --permanent --remove-service=ssh'];
        assert.deepEqual(wouldRun(res.stdout), [...DOCUMENTED_PORTS.map(fw.open), ...fresh, ...fw.enable]);
        assert.deepEqual(changing(calls()), []);
      } finally {
        await banner.close();
      }
    });

    test(`${fw.script}: a real run changes what is missing only, and a second run changes nothing and says so`, async (t) => {
      if (!needs(t, 'root', IS_ROOT, 'needed: the script refuses to change a firewall unless run as root')) return;
      const { exec, calls } = setup(fw);
      const banner = await sshBanner();
      try {
        const first = await exec([], banner.port);
        assert.equal(first.status, 0, first.stderr);
        const missing = DOCUMENTED_PORTS.filter((p) => p !== '8080/tcp').map(fw.open);
        assert.deepEqual(changing(calls()), [...missing, ...fw.close22, ...fw.enable].map((c) => c.slice(fw.tool.length + 1)));
        assert.match(first.stdout, /8080\/tcp already (allowed|open)/);
        const before = calls().length;
        const second = await exec([], banner.port);
        assert.equal(second.status, 0, second.stderr);
        assert.deepEqual(changing(calls().slice(before)), [], 'the second run only reads');
        assert.match(second.stdout, /nothing to change: the firewall already matches/);
        assert.equal(wouldRun(second.stdout).length + second.stdout.split('\n').filter((l) => l.startsWith('running: ')).length, 0);
      } finally {
        await banner.close();
      }
    });
  }

  test('--help, unknown options, root required to change anything, and --keep-22', async () => {
    for (const fw of FIREWALLS) {
      const { exec } = setup(fw, true);
      const help = await exec(['--help'], 1);
      assert.equal(help.status, 0);
      assert.match(help.stdout, /--dry-run/);
      for (const port of DOCUMENTED_PORTS) assert.ok(help.stdout.includes(port), `${fw.script} --help names ${port}`);
      assert.equal((await exec(['--bogus'], 1)).status, 2);
      // Changing a firewall needs root; a dry run does not.
      const setpriv = which('setpriv');
      if (IS_ROOT && setpriv) {
        const asNobody = (...args: string[]) => runAsync(setpriv, ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', app(fw.script), ...args]);
        const refused = await asNobody();
        assert.deepEqual([refused.status, refused.stderr.trim()], [1, `${fw.script.slice('firewall/'.length)}: must run as root (or with --dry-run)`]);
        assert.equal((await asNobody('--dry-run', '--keep-22')).status, 0);
      }
      const banner = await sshBanner();
      try {
        const kept = await exec(['--dry-run', '--keep-22'], banner.port);
        assert.equal(kept.status, 0, kept.stderr);
        for (const c of fw.close22) assert.ok(!kept.stdout.includes(c), `--keep-22: no ${c}`);
      } finally {
        await banner.close();
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------------------------
// certbot deploy hook

describe('certbot deploy hook (appliance/certbot/aether-reload-nginx.sh)', () => {
  test('reloads nginx only when the real `nginx -t` passes', async (t) => {
    const nginx = tool(t, 'nginx', 'nginx');
    const openssl = nginx && tool(t, 'openssl', 'openssl');
    if (!nginx || !openssl) return;
    const site = await nginxSite(openssl, app('nginx/aether.conf'), 8080);
    const dir = tempDir('hook');
    // nginx -t against the test prefix; systemctl recorded (no service manager here).
    writeFileSync(join(dir, 'nginx'), `#!/bin/sh\nexec ${nginx} ${nginxArgs(site).join(' ')} "$@"\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'systemctl'), `#!/bin/sh\necho "$*" >>${join(dir, 'systemctl.calls')}\n`, { mode: 0o755 });
    const env = { ...process.env, AETHER_NGINX: join(dir, 'nginx'), AETHER_SYSTEMCTL: join(dir, 'systemctl'), RENEWED_LINEAGE: `/etc/letsencrypt/live/${DOMAIN}` };
    const calls = () => (existsSync(join(dir, 'systemctl.calls')) ? readFileSync(join(dir, 'systemctl.calls'), 'utf8') : '');
    const ok = run(app('certbot/aether-reload-nginx.sh'), [], { env });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(calls(), 'reload nginx\n');
    assert.match(ok.stdout, /nginx reloaded/);
    // A broken configuration: no reload, a message that says why.
    writeFileSync(join(site.dir, 'site.conf'), `${readFileSync(join(site.dir, 'site.conf'), 'utf8')}\nserver { listen 127.0.0.1:1; bogus_directive on; }\n`);
    const bad = run(app('certbot/aether-reload-nginx.sh'), [], { env });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /nginx NOT reloaded/);
    assert.match(bad.stderr, /bogus_directive/);
    assert.equal(calls(), 'reload nginx\n', 'no second reload');
  });
});

// ------------------------------------------------------------------------------------------------------------------
// logrotate

describe('logrotate (appliance/logrotate/aether)', () => {
  test('copytruncate under a running panel: it keeps writing to audit.log from byte 0, and audit verify still passes', async (t) => {
    const logrotate = tool(t, 'logrotate', 'logrotate');
    if (!logrotate) return;
    const panel = await startPanel({ http: { host: '127.0.0.1', port: 0, trustedProxies: ['127.0.0.1/32'] } });
    try {
      const logDir = panel.config.paths.logDir;
      const audit = join(logDir, 'audit.log');
      const fail = (ip: string) => new TestClient(panel.url).json('POST', '/api/v1/auth/login', { username: 'nobody', password: 'x' }, { 'X-Forwarded-For': ip });
      for (const ip of ['203.0.113.1', '203.0.113.2']) assert.equal((await fail(ip)).status, 401);
      await eventually(() => readFileSync(audit, 'utf8').split('\n').filter(Boolean).length >= 2, 'audit lines');
      const before = readFileSync(audit, 'utf8');

      const group = run('id', ['-gn']).stdout.trim();
      let conf = readFileSync(app('logrotate/aether'), 'utf8');
      conf = must(conf, '/var/log/aether/*.log', `${logDir}/*.log`);
      conf = must(conf, 'su aether aether', `su ${userInfo().username} ${group}`);
      const dir = tempDir('logrotate');
      writeFileSync(join(dir, 'aether'), conf);
      const rotated = run(logrotate, ['-f', '-s', join(dir, 'state'), join(dir, 'aether')]);
      assert.equal(rotated.status, 0, rotated.stderr);
      const old = readdirSync(logDir).filter((f) => /^audit\.log-\d{8}$/.test(f));
      assert.equal(old.length, 1, readdirSync(logDir).join(', '));
      assert.equal(readFileSync(join(logDir, old[0]!), 'utf8'), before, 'the copy holds everything written before');
      assert.equal(statSync(audit).size, 0, 'audit.log truncated in place');

      assert.equal((await fail('203.0.113.3')).status, 401);
      await eventually(() => statSync(audit).size > 0, 'the panel to write after rotation');
      const after = readFileSync(audit, 'utf8');
      assert.ok(after.startsWith('{"time":'), 'the next line starts at byte 0 (no hole of NUL bytes)');
      assert.ok(!after.includes('\0'));
      assert.equal((JSON.parse(after.split('\n')[0]!) as { ip: string }).ip, '203.0.113.3');
      const chain = await verifyAuditChain(panel.db);
      assert.ok(chain.ok, JSON.stringify(chain));
      const check = await checkAuditLog(panel.db, audit);
      assert.deepEqual(check, { ok: true, checked: after.split('\n').filter(Boolean).length });
    } finally {
      await panel.close();
    }
  });
});

// ------------------------------------------------------------------------------------------------------------------
// install.sh

describe('install script (appliance/install.sh)', () => {
  /** A release as the install script finds it beside itself: appliance/, the lockfile, a built UI. */
  function release(): string {
    const dir = tempDir('release');
    cpSync(APPLIANCE, join(dir, 'appliance'), { recursive: true });
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(ROOT, f), join(dir, f));
    mkdirSync(join(dir, 'dist', 'ui'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'ui', 'index.html'), '<!doctype html><title>Aether</title>\n');
    return dir;
  }
  const PATHS = ['/etc/aether', '/opt/aether', '/var/lib/aether', '/var/log/aether', '/etc/systemd/system/aether.service', '/etc/nginx/conf.d/aether.conf', '/etc/logrotate.d/aether', '/etc/fail2ban/jail.d/aether.local', '/etc/fail2ban/filter.d/aether.conf', '/etc/ssh/sshd_config.d/00-aether.conf', '/var/www/letsencrypt', '/etc/letsencrypt/renewal-hooks/deploy/aether-reload-nginx.sh'];
  const snapshot = () => PATHS.map((p) => (existsSync(p) ? `${p} ${statSync(p).mtimeMs}` : `${p} absent`)).concat(run('getent', ['passwd', 'aether']).stdout);

  test('--dry-run prints what it would do for every part and changes nothing; the sshd drop-in only for an admin with keys or with --allow-no-ssh-key', () => {
    const script = join(release(), 'appliance', 'install.sh');
    const env = { ...process.env };
    delete env.SUDO_USER;
    const state = snapshot();
    const res = run('bash', [script, '--dry-run', '--domain', 'panel.example.org'], { env });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    const out = res.stdout;
    const lines = out.split('\n').filter((l) => l.startsWith('would run: ')).map((l) => l.slice('would run: '.length));
    const has = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `a "would run" line matching ${re}:\n${lines.join('\n')}`);
    if (!existsSync('/etc/systemd/system/aether.service')) has(/^install -D -m 0644 -o root -g root \S+\/aether\.service \/etc\/systemd\/system\/aether\.service$/);
    if (!existsSync('/etc/logrotate.d/aether')) has(/^install -D -m 0644 -o root -g root \S+\/logrotate\/aether \/etc\/logrotate\.d\/aether$/);
    if (!existsSync('/etc/fail2ban/jail.d/aether.local')) has(/fail2ban\/jail\.d\/aether\.local \/etc\/fail2ban\/jail\.d\/aether\.local$/);
    if (run('getent', ['passwd', 'aether']).status !== 0) has(/^useradd --system --user-group --home-dir \/var\/lib\/aether --no-create-home --shell \/usr\/sbin\/nologin --comment Aether Panel aether$/);
    if (!existsSync('/etc/letsencrypt/live/panel.example.org/fullchain.pem')) has(/^certbot certonly --webroot -w \/var\/www\/letsencrypt -d panel\.example\.org --agree-tos --non-interactive /);
    has(/\/etc\/nginx\/conf\.d\/aether\.conf$/);
    assert.match(out, /would run: ufw allow 2022\/tcp|would run: firewall-cmd --permanent --add-port=2022\/tcp|2022\/tcp already/);
    assert.match(res.stderr, /NOT installing the sshd drop-in/);
    assert.ok(!lines.some((l) => l.includes('00-aether.conf')));
    assert.ok(!lines.some((l) => /ufw deny 22|remove-service=ssh/.test(l)), 'port 22 stays while sshd is not hardened');
    assert.match(out, /dry run: \d+ command\(s\) above would run; nothing was changed/);

    const forced = run('bash', [script, '--dry-run', '--domain', 'panel.example.org', '--allow-no-ssh-key', '--skip-firewall'], { env });
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /would run: install -D -m 0644 -o root -g root \S+\/ssh\/aether-sshd\.conf \/etc\/ssh\/sshd_config\.d\/00-aether\.conf/);
    assert.match(forced.stdout, /would run: sshd -t/);

    assert.deepEqual(snapshot(), state, 'nothing on the host changed');
  });

  test('refuses a domain that is not a host name, and explains itself with --help', () => {
    const script = join(release(), 'appliance', 'install.sh');
    for (const domain of ['panel.example.org;reboot', '$(id)', 'a b.example', 'localhost', '-x.example.org']) {
      const res = run('bash', [script, '--dry-run', '--domain', domain]);
      assert.equal(res.status, 1, domain);
      assert.match(res.stderr, /is not a host name|--domain is required/);
    }
    const help = run('bash', [script, '--help']);
    assert.equal(help.status, 0);
    for (const word of ['--domain', '--dry-run', '--allow-no-ssh-key', 'authorized_keys', 'certbot', 'fail2ban']) assert.ok(help.stdout.includes(word), word);
  });
});
