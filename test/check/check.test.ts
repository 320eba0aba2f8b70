// Tests `aether check`: the real command line on this machine lists every checklist item, and the branches that real
// data can reach here (accounts, 2FA, OAuth2 clients, password policy, HTTPS certificates from a test CA, the release
// feed, sshd configurations, backups, the monitor) give the status and the reason they should.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { systemCaller } from '../../src/auth/index.ts';
import { newIdentity } from '../../src/backup/index.ts';
import { createHostProbe, readSshdConfig } from '../../src/check/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { VERSION } from '../../src/version.ts';
import { panelWithAdmin } from '../helpers/fixtures.ts';
import { FAST_HASHING } from '../helpers/panel.ts';
import { needs } from '../helpers/require-component.ts';
import { enableTwoFactor } from '../helpers/two-factor.ts';

const BIN = fileURLToPath(new URL('../../bin/aether.js', import.meta.url));

/** Every item of the documentation's Security Checklist, in its order. */
const IDS = [
  'panel-version',
  'os-updates',
  'https-certificate',
  'admin-2fa',
  'firewall',
  'ssh',
  'password-policy',
  'permissions-review',
  'backups',
  'log-monitoring',
  'fail2ban',
  'admin-ip-allowlist',
  'oauth-client-secrets',
  'certificate-renewal',
];

type Item = { id: string; title: string; status: 'pass' | 'warn' | 'fail'; reason: string; fix: string | null; details?: Record<string, any> };
type Report = { version: string; checkedAt: string; summary: { pass: number; warn: number; fail: number }; items: Item[] };

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A config file for the command line; the release feed is not asked unless a test sets it. */
function workspace(extra: Record<string, any> = {}): string {
  const dir = tempDir('aether-check-');
  const configPath = join(dir, 'config.json');
  const { checklist, ...rest } = extra;
  writeFileSync(configPath, JSON.stringify({ logLevel: 'silent', passwordHashing: FAST_HASHING, ...rest, checklist: { releaseFeedUrl: null, ...checklist } }));
  return configPath;
}

/** Adds settings to an existing config file (a test panel's). */
function amend(configPath: string, patch: (raw: Record<string, any>) => void): void {
  const raw = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, any>;
  patch(raw);
  writeFileSync(configPath, JSON.stringify(raw));
}

/** Runs the real `aether` binary (asynchronously: servers of this test process must keep answering meanwhile). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function check(configPath: string, env: Record<string, string> = {}): Promise<{ code: number; report: Report; item: (id: string) => Item }> {
  const res = await cli(['check', '--json', '--config', configPath], env);
  let report: Report;
  try {
    report = JSON.parse(res.stdout) as Report;
  } catch {
    assert.fail(`aether check --json printed no JSON (exit ${res.code}): ${res.stdout.slice(0, 500)} ${res.stderr.slice(0, 2000)}`);
  }
  return { code: res.code, report, item: (id) => report.items.find((i) => i.id === id) ?? assert.fail(`no item ${id}`) };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const hasOpenssl = () => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('aether check', () => {
  test('--json on this machine lists every checklist item with a status and a reason; exit 1 when one fails', async () => {
    const configPath = workspace();
    const { code, report } = await check(configPath);
    assert.deepEqual(report.items.map((i) => i.id), IDS);
    for (const item of report.items) {
      assert.ok(['pass', 'warn', 'fail'].includes(item.status), `${item.id}: status ${item.status}`);
      assert.ok(item.reason.trim().length > 0, `${item.id}: a reason`);
      assert.ok(item.title.trim().length > 0, `${item.id}: a title`);
      assert.ok(item.fix === null || item.fix.trim().length > 0, `${item.id}: fix is null or says something`);
      if (item.status !== 'pass') assert.ok(item.fix !== null || /^Could not check|^No SSH server/.test(item.reason) || item.id === 'ssh', `${item.id}: a ${item.status} says how to fix it`);
      assert.doesNotMatch(item.reason, /\n\s+at /, `${item.id}: no stack trace`);
    }
    assert.equal(report.version, VERSION);
    assert.ok(Number.isFinite(Date.parse(report.checkedAt)));
    const counted = { pass: 0, warn: 0, fail: 0 };
    for (const i of report.items) counted[i.status] += 1;
    assert.deepEqual(report.summary, counted);
    // A fresh data directory has no backup key and no backup: that item fails, so the command exits 1.
    const backups = report.items.find((i) => i.id === 'backups')!;
    assert.equal(backups.status, 'fail');
    assert.match(backups.reason, /Backups are not set up/);
    assert.equal(code, 1);
    const noFeed = report.items.find((i) => i.id === 'panel-version')!;
    assert.equal(noFeed.status, 'warn');
    assert.match(noFeed.reason, new RegExp(`Running ${VERSION.replace(/\./g, '\\.')}; not compared`));
    const table = await cli(['check', '--config', configPath]);
    assert.equal(table.code, 1);
    for (const item of report.items) assert.ok(table.stdout.includes(`${item.title} [${item.id}]`), `the table names ${item.id}`);
    assert.match(table.stdout, /^FAIL\s+Backups configured and tested \[backups\]$/m);
    assert.match(table.stdout, /\d+ passed, \d+ warning\(s\), \d+ failed\./);
  });

  test('the host probe runs commands without a shell, with a minimal environment and a time limit', async () => {
    const probe = createHostProbe({ commandTimeoutMs: 500, networkTimeoutMs: 500 });
    const env = await probe.run('env', []);
    assert.equal(env.code, 0);
    assert.deepEqual(env.stdout.trim().split('\n').map((l) => l.split('=')[0]).sort(), ['LANG', 'LC_ALL', 'PATH']);
    assert.equal((await probe.run('echo', ['$(id)', ';', 'ls'])).stdout, '$(id) ; ls\n');
    assert.equal((await probe.run('sleep', ['5'])).failure, 'timeout');
    assert.equal((await probe.run('aether-no-such-command', [])).failure, 'not_found');
    assert.equal(await probe.readFile(join(tempDir('aether-check-probe-'), 'missing')), null);
  });

  test('the OS updates item reads the package manager of this machine', async (t) => {
    if (!needs(t, 'apt-get', existsSync('/usr/bin/apt-get'), 'not found: this test expects a Debian or Ubuntu host')) return;
    const { item } = await check(workspace());
    const os = item('os-updates');
    assert.equal(os.details?.packageManager, 'apt');
    assert.equal(typeof os.details?.pending, 'number');
    const pending = os.details!.pending as number;
    const security = os.details!.security as number;
    assert.equal(os.status, security > 0 ? 'fail' : pending > 0 ? 'warn' : os.status);
    if (pending > 0) assert.match(os.reason, new RegExp(`${pending} update\\(s\\)`));
  });

  test('an administrator without 2FA fails the item by name, and passes once 2FA is on; the monitor is seen running', async () => {
    const port = await freePort();
    const { panel, admin } = await panelWithAdmin({ http: { host: '127.0.0.1', port }, security: { require2fa: 'admins' } });
    try {
      const first = await check(panel.config.configPath);
      const twoFa = first.item('admin-2fa');
      assert.equal(twoFa.status, 'fail');
      assert.match(twoFa.reason, /1 of 1 administrator\(s\) sign in without 2FA: root-admin\./);
      assert.deepEqual(twoFa.details?.withoutTwoFactor, ['root-admin']);
      const monitor = first.item('log-monitoring');
      assert.equal(monitor.details?.panelRunning, true);
      assert.match(monitor.reason, /No alert channel is enabled/);
      assert.equal(monitor.status, 'warn');
      const perms = first.item('permissions-review');
      assert.equal(perms.status, 'pass');
      assert.deepEqual(perms.details?.admins, ['root-admin']);

      await enableTwoFactor(admin, systemClock);
      const second = await check(panel.config.configPath);
      assert.equal(second.item('admin-2fa').status, 'pass');
      assert.match(second.item('admin-2fa').reason, /All 1 administrator\(s\) use 2FA \(root-admin\); the policy requires it of administrators\./);
    } finally {
      await panel.close();
    }
  });

  test('the monitor item fails when the panel does not answer on its port', async () => {
    const port = await freePort();
    const { item } = await check(workspace({ http: { host: '127.0.0.1', port } }));
    const monitor = item('log-monitoring');
    assert.equal(monitor.status, 'fail');
    assert.match(monitor.reason, new RegExp(`does not answer at http://127\\.0\\.0\\.1:${port}/healthz`));
  });

  test('permissions: more administrators than checklist.maxAdmins and an account unused for 90 days are listed', async () => {
    const { panel, admin } = await panelWithAdmin();
    try {
      const roles = (await admin.get('/api/v1/roles')).body.items as Array<{ id: string; name: string }>;
      const adminRole = roles.find((r) => r.name === 'admin')!.id;
      for (const name of ['second-admin', 'third-admin']) {
        const res = await admin.post('/api/v1/users', { username: name, email: `${name}@example.test`, password: 'Another-Good-Pass-1x', roles: [{ roleId: adminRole, serverId: null }] });
        assert.equal(res.status, 201, res.text);
      }
      const old = Date.now() - 120 * 86_400_000;
      await panel.db('users').where({ username: 'third-admin' }).update({ created_at: old, last_login_at: old });
      amend(panel.config.configPath, (raw) => (raw.checklist = { releaseFeedUrl: null, maxAdmins: 2 }));
      const perms = (await check(panel.config.configPath)).item('permissions-review');
      assert.equal(perms.status, 'warn');
      assert.match(perms.reason, /3 administrators \(root-admin, second-admin, third-admin\), more than 2/);
      assert.match(perms.reason, /1 enabled account\(s\) unused for over 90 days: third-admin \(admin\) last sign-in \d{4}-\d\d-\d\d/);
    } finally {
      await panel.close();
    }
  });

  test('an OAuth2 client secret older than the rotation period warns by name; a secret column that is no hash fails', async () => {
    const { panel, admin } = await panelWithAdmin();
    try {
      const created = await admin.post('/api/v1/clients', { name: 'deploy-bot', scopes: ['users.view'] });
      assert.equal(created.status, 201, created.text);
      const fresh = (await check(panel.config.configPath)).item('oauth-client-secrets');
      assert.equal(fresh.status, 'pass');
      assert.match(fresh.reason, /1 client\(s\), 1 enabled; every secret stored as a SHA-256 hash, each regenerated within 90 days\./);

      await panel.db('oauth_clients').where({ name: 'deploy-bot' }).update({ secret_rotated_at: Date.now() - 200 * 86_400_000 });
      const old = (await check(panel.config.configPath)).item('oauth-client-secrets');
      assert.equal(old.status, 'warn');
      assert.match(old.reason, /1 secret\(s\) older than 90 days: deploy-bot \(root-admin\) 200 days/);

      await panel.db('oauth_clients').where({ name: 'deploy-bot' }).update({ secret_hash: 'acs_this-is-a-plain-secret' });
      const plain = (await check(panel.config.configPath)).item('oauth-client-secrets');
      assert.equal(plain.status, 'fail');
      assert.match(plain.reason, /the stored secret of deploy-bot is not a SHA-256 hash/);
    } finally {
      await panel.close();
    }
  });

  test('password policy: the default passes, a shorter minimum warns, short and common passwords fail', async () => {
    const cases = [
      { name: 'default', policy: {}, status: 'pass', says: /New passwords need minimum length 12, 3 character class\(es\), common passwords rejected/ },
      { name: 'minimum 10', policy: { minLength: 10 }, status: 'warn', says: /Weak password policy: minimum length 10 \(below 12\)\./ },
      { name: 'minimum 8 and common allowed', policy: { minLength: 8, rejectCommon: false }, status: 'fail', says: /minimum length 8 \(below 12\); common passwords accepted/ },
    ];
    for (const c of cases) {
      const item = (await check(workspace({ passwordPolicy: c.policy }))).item('password-policy');
      assert.equal(item.status, c.status, c.name);
      assert.match(item.reason, c.says, c.name);
    }
  });

  test('admin IP allowlist: empty warns, set passes with the ranges', async () => {
    assert.equal((await check(workspace())).item('admin-ip-allowlist').status, 'warn');
    const set = (await check(workspace({ security: { adminAllowlist: ['203.0.113.0/24'] } }))).item('admin-ip-allowlist');
    assert.equal(set.status, 'pass');
    assert.match(set.reason, /only from 1 allowlisted range\(s\): 203\.0\.113\.0\/24/);
  });

  describe('HTTPS certificate of http.publicUrl', () => {
    const servers: Server[] = [];
    after(() => {
      for (const s of servers) s.close();
    });
    const serve = async (key: string, cert: string) => {
      const s = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('ok'));
      servers.push(s);
      return listen(s);
    };
    const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

    test('unset and http:// warn', async () => {
      assert.match((await check(workspace())).item('https-certificate').reason, /http\.publicUrl is not set/);
      const http = (await check(workspace({ http: { publicUrl: 'http://panel.example.test' } }))).item('https-certificate');
      assert.equal(http.status, 'warn');
      assert.match(http.reason, /without HTTPS/);
    });

    test('a self-signed certificate fails; one from a trusted CA passes with the days left; near expiry warns; the wrong name fails', async (t) => {
      if (!needs(t, 'openssl', hasOpenssl(), 'not found: install Debian package openssl')) return;
      const d = tempDir('aether-check-tls-');
      const p = (n: string) => join(d, n);
      openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('self.key'), '-out', p('self.crt'), '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
      openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '365', '-subj', '/CN=Aether Test CA/O=Aether Tests']);
      writeFileSync(p('san.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
      for (const [name, daysValid] of [['long', '60'], ['short', '5']] as const) {
        openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', '/CN=localhost']);
        openssl(['x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.crt`), '-days', daysValid, '-extfile', p('san.ext')]);
      }
      const selfPort = await serve(p('self.key'), p('self.crt'));
      const self = (await check(workspace({ http: { publicUrl: `https://localhost:${selfPort}` } }))).item('https-certificate');
      assert.equal(self.status, 'fail');
      assert.match(self.reason, /is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT; issuer localhost\)/);

      const trust = { NODE_EXTRA_CA_CERTS: p('ca.crt') };
      const longPort = await serve(p('long.key'), p('long.crt'));
      const { item: longItem } = await check(workspace({ http: { publicUrl: `https://localhost:${longPort}` } }), trust);
      const valid = longItem('https-certificate');
      assert.equal(valid.status, 'pass', valid.reason);
      assert.match(valid.reason, /verifies \(issuer Aether Test CA, Aether Tests, TLSv1\.3\), expires \d{4}-\d\d-\d\d: (59|60) day\(s\) left\./);
      assert.ok([59, 60].includes(valid.details?.daysLeft));
      // Without the test CA the same certificate does not verify.
      const untrusted = (await check(workspace({ http: { publicUrl: `https://localhost:${longPort}` } }))).item('https-certificate');
      assert.equal(untrusted.status, 'fail');
      assert.match(untrusted.reason, /does not verify: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);

      const shortPort = await serve(p('short.key'), p('short.crt'));
      const short = (await check(workspace({ http: { publicUrl: `https://localhost:${shortPort}` } }), trust)).item('https-certificate');
      assert.equal(short.status, 'warn');
      assert.match(short.reason, /: [45] day\(s\) left\. Renewal is due/);

      const wrongName = (await check(workspace({ http: { publicUrl: `https://127.0.0.1:${longPort}` } }), trust)).item('https-certificate');
      assert.equal(wrongName.status, 'fail');
      assert.match(wrongName.reason, /is not valid for 127\.0\.0\.1/);
    });
  });

  describe('the release feed', () => {
    let answer: { status: number; body: string } | null = { status: 200, body: '{}' };
    const server = createHttpServer((_req, res) => {
      // null: accept the request and never answer, as a feed behind a dead proxy does.
      if (!answer) return;
      res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(answer.body);
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    const withFeed = async (url: string, timeout = 3) => (await check(workspace({ checklist: { releaseFeedUrl: url, networkTimeoutSeconds: timeout } }))).item('panel-version');

    test('the same version passes, a newer one is an update available, an unreachable feed is a warning naming what was tried', async () => {
      const port = await listen(server);
      const url = `http://127.0.0.1:${port}/releases/latest`;
      answer = { status: 200, body: JSON.stringify({ tag_name: `v${VERSION}`, published_at: '2026-11-01T10:00:00Z' }) };
      const same = await withFeed(url);
      assert.equal(same.status, 'pass');
      assert.equal(same.reason, `Running ${VERSION}, the latest release is ${VERSION} (published 2026-11-01).`);

      answer = { status: 200, body: JSON.stringify({ tag_name: 'v9.4.0', html_url: 'https://example.test/releases/v9.4.0' }) };
      const newer = await withFeed(url);
      assert.equal(newer.status, 'warn');
      assert.equal(newer.reason, `Update available: 9.4.0; running ${VERSION}.`);
      assert.match(newer.fix ?? '', /Update to 9\.4\.0 \(release notes: https:\/\/example\.test\/releases\/v9\.4\.0\)/);

      answer = { status: 200, body: JSON.stringify({ version: '0.0.1' }) };
      assert.equal((await withFeed(url)).status, 'pass');

      answer = { status: 503, body: 'down' };
      assert.match((await withFeed(url)).reason, /answered HTTP 503/);

      const closed = await freePort();
      const refused = await withFeed(`http://127.0.0.1:${closed}/feed`);
      assert.equal(refused.status, 'warn');
      assert.match(refused.reason, new RegExp(`could not check for a newer release: GET http://127\\.0\\.0\\.1:${closed}/feed failed \\(ECONNREFUSED\\)`));

      answer = null;
      const silent = await withFeed(url, 1);
      assert.equal(silent.status, 'warn');
      assert.match(silent.reason, /failed \(no answer within 1 s\)/);
    });
  });

  describe('SSH', () => {
    const sshd = existsSync('/usr/sbin/sshd');
    const setup = (main: string, dropIn: string | null) => {
      const d = tempDir('aether-check-sshd-');
      mkdirSync(join(d, 'sshd_config.d'));
      writeFileSync(join(d, 'sshd_config'), main.replace('@DIR@', d));
      if (dropIn) writeFileSync(join(d, 'sshd_config.d', '10-aether.conf'), dropIn);
      return join(d, 'sshd_config');
    };
    // Debian's shipped file: drop-ins first, Port left at its default.
    const DEBIAN_MAIN = 'Include @DIR@/sshd_config.d/*.conf\n#Port 22\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\nUsePAM yes\n';
    const HARDENED = 'Port 2022\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n';

    test('port 22 with passwords fails; the drop-in moving the port and turning passwords off passes', async (t) => {
      if (!needs(t, 'sshd', sshd, 'not found at /usr/sbin/sshd: install Debian package openssh-server')) return;
      const plain = setup(DEBIAN_MAIN, null);
      const before = (await check(workspace({ checklist: { sshdConfig: plain } }))).item('ssh');
      assert.equal(before.status, 'fail');
      assert.match(before.reason, /^sshd listens on port 22; password authentication is on \(PasswordAuthentication yes\)\./);
      assert.deepEqual(before.details?.ports, [22]);

      const hardened = setup(DEBIAN_MAIN, HARDENED);
      const afterDropIn = (await check(workspace({ checklist: { sshdConfig: hardened } }))).item('ssh');
      assert.equal(afterDropIn.status, 'pass', afterDropIn.reason);
      assert.match(afterDropIn.reason, /port 2022, PasswordAuthentication no, KbdInteractiveAuthentication no, PermitRootLogin no/);
    });

    test('Port lines add up: a drop-in with 2022 beside the main file\'s "Port 22" still listens on 22', async (t) => {
      if (!needs(t, 'sshd', sshd, 'not found at /usr/sbin/sshd: install Debian package openssh-server')) return;
      const both = setup('Include @DIR@/sshd_config.d/*.conf\nPort 22\nPasswordAuthentication yes\n', HARDENED);
      const item = (await check(workspace({ checklist: { sshdConfig: both } }))).item('ssh');
      assert.equal(item.status, 'warn');
      assert.match(item.reason, /sshd listens on port 22 \(and 2022: Port lines add up/);
    });

    test('reading the files (without root) gives the settings sshd -T gives', async (t) => {
      if (!needs(t, 'sshd', sshd, 'not found at /usr/sbin/sshd: install Debian package openssh-server')) return;
      const probe = createHostProbe({ commandTimeoutMs: 20_000, networkTimeoutMs: 3000 });
      const configs = [
        setup(DEBIAN_MAIN, null),
        setup(DEBIAN_MAIN, HARDENED),
        setup('Include @DIR@/sshd_config.d/*.conf\nPort 22\nPasswordAuthentication yes\n', HARDENED),
        setup('PermitRootLogin yes\nChallengeResponseAuthentication yes\nUsePAM yes\nMatch User backup\n  PasswordAuthentication no\n', null),
        setup('Include @DIR@/sshd_config.d/*.conf\nPasswordAuthentication=no\n', 'passwordauthentication yes\nPort 2200\nPort 2201\n'),
      ];
      for (const path of configs) {
        const fromFiles = await readSshdConfig(probe, path);
        const t2 = await probe.run('sshd', ['-T', '-f', path]);
        assert.equal(t2.code, 0, t2.stderr);
        const get = (k: string) => [...t2.stdout.matchAll(new RegExp(`^${k} (.+)$`, 'gm'))].map((m) => m[1]);
        const text = readFileSync(path, 'utf8');
        assert.deepEqual(fromFiles?.settings.ports.sort(), get('port').map(Number).sort(), text);
        assert.equal(fromFiles?.settings.passwordauthentication, get('passwordauthentication')[0], text);
        assert.equal(fromFiles?.settings.kbdinteractiveauthentication, get('kbdinteractiveauthentication')[0], text);
        assert.equal(fromFiles?.settings.permitrootlogin, get('permitrootlogin')[0]!.replace('without-password', 'prohibit-password'), text);
      }
    });
  });

  test('backups: made and restore-tested with an off-site copy passes; without a restore test or off-site copy warns', async () => {
    const identity = await newIdentity();
    const offsite = tempDir('aether-check-offsite-');
    const { panel } = await panelWithAdmin({ backup: { recipients: [identity.recipient] } });
    try {
      const job = await panel.services.backups.create(systemCaller('test'), { label: 'manual', withFiles: false }).done;
      assert.equal(job.state, 'done', job.error ?? '');
      const untested = (await check(panel.config.configPath)).item('backups');
      assert.equal(untested.status, 'warn');
      assert.match(untested.reason, /No restore test has ever passed\. No off-site copy/);
      assert.match(untested.reason, /1 backup\(s\), newest \d{4}-\d\d-\d\d \d\d:\d\d UTC \(0 h ago\)/);

      assert.equal((await panel.services.backups.restoreTest()).ok, true);
      amend(panel.config.configPath, (raw) => (raw.backup = { ...raw.backup, offsiteDir: offsite }));
      const tested = (await check(panel.config.configPath)).item('backups');
      assert.equal(tested.status, 'pass', tested.reason);
      assert.match(tested.reason, /restore test passed \d{4}-\d\d-\d\d; encrypted \(recipients\)/);

      // A backup older than two days while one is scheduled daily fails.
      const dir = panel.config.paths.backupDir;
      const name = readdirSync(dir).find((n) => n.endsWith('.age'))!;
      renameSync(join(dir, name), join(dir, name.replace(/^aether-\d{4}-\d\d-\d\d/, 'aether-2026-01-02')));
      const stale = (await check(panel.config.configPath)).item('backups');
      assert.equal(stale.status, 'fail');
      assert.match(stale.reason, /The newest backup is \d+ day\(s\) old .*though one is scheduled daily at 03:00 UTC/);
    } finally {
      await panel.close();
    }
  });

  test('certificate renewal: certificates in letsencrypt/live without a renewal timer or cron job fail, naming them', async () => {
    const le = tempDir('aether-check-le-');
    mkdirSync(join(le, 'live', 'panel.example.test'), { recursive: true });
    mkdirSync(join(le, 'renewal-hooks', 'deploy'), { recursive: true });
    writeFileSync(join(le, 'renewal-hooks', 'deploy', 'aether-reload-nginx.sh'), '#!/bin/sh\nsystemctl reload nginx\n');
    chmodSync(join(le, 'renewal-hooks', 'deploy', 'aether-reload-nginx.sh'), 0o755);
    const item = (await check(workspace({ checklist: { letsencryptDir: le } }))).item('certificate-renewal');
    assert.deepEqual(item.details?.deployHooks, ['aether-reload-nginx.sh']);
    if (existsSync('/etc/cron.d/certbot') || existsSync('/run/systemd/system')) {
      // This host renews by itself: the item reflects that instead.
      assert.notEqual(item.status, 'warn');
      return;
    }
    assert.equal(item.status, 'fail');
    assert.match(item.reason, /1 certificate\(s\) in .*\/live \(panel\.example\.test\), but no automatic renewal/);
  });
});
