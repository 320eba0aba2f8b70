// Branches of the checklist this machine cannot reach for real (ufw or firewalld active, Fedora's dnf, fail2ban running
// with its jails, certbot's cron job), through a scripted host probe; and the runner's promise that a check that
// throws or hangs becomes a warning. Everything this machine has is tested for real in check.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CHECKS, parseUfwStatus, runChecklist, type Check, type CheckContext, type HostProbe, type RunResult } from '../../src/check/index.ts';
import { loadConfig } from '../../src/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'aether-check-branches-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'config.json'), JSON.stringify({ logLevel: 'silent', checklist: { commandTimeoutSeconds: 1, networkTimeoutSeconds: 0.5 } }));
const config = loadConfig({ path: join(dir, 'config.json'), env: {} });

type Script = { commands?: Record<string, Partial<RunResult>>; files?: Record<string, string>; dirs?: Record<string, string[]>; executables?: string[] };

/** A host described by a script: commands not in it are not installed, paths not in it do not exist. */
function scriptedProbe(script: Script): HostProbe {
  return {
    async run(cmd, args) {
      const r = script.commands?.[[cmd, ...args].join(' ')];
      return r ? { code: 0, stdout: '', stderr: '', ...r } : { code: null, stdout: '', stderr: '', failure: 'not_found' };
    },
    async readFile(path) {
      return script.files?.[path] ?? null;
    },
    async readDir(path) {
      return script.dirs?.[path] ?? null;
    },
    async stat(path) {
      if (script.files?.[path] !== undefined) return { isFile: true, isDirectory: false, mode: script.executables?.includes(path) ? 0o100755 : 0o100644, mtimeMs: Date.now() };
      if (script.dirs?.[path]) return { isFile: false, isDirectory: true, mode: 0o40755, mtimeMs: Date.now() };
      return null;
    },
    async tlsConnect() {
      throw new Error('no network in this script');
    },
    async httpGet() {
      throw new Error('no network in this script');
    },
  };
}

const byId = (id: string) => CHECKS.find((c) => c.id === id)!;
const ctxWith = (probe: HostProbe): CheckContext => ({ config, db: null as never, probe, now: Date.now(), version: '0.1.0', runtime: { kind: 'cli' }, backupEncryption: null });
const run = (id: string, script: Script) => byId(id).run(ctxWith(scriptedProbe(script)));

const DEBIAN = { '/etc/os-release': 'ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' };
const UFW_ACTIVE = `Status: active

To                         Action      From
--                         ------      ----
8080/tcp                   ALLOW       Anywhere
5657/tcp                   ALLOW       Anywhere
8081/tcp                   ALLOW       Anywhere
2022/tcp                   LIMIT       Anywhere
Nginx Full                 ALLOW       Anywhere
22/tcp                     DENY        Anywhere
8080/tcp (v6)              ALLOW       Anywhere (v6)
`;

describe('firewall', () => {
  const cases: Array<{ name: string; script: Script; status: string; says: RegExp }> = [
    { name: 'ufw with only the panel\'s ports', script: { commands: { 'ufw status': { stdout: UFW_ACTIVE } } }, status: 'pass', says: /^ufw is active; open: 80\/tcp, 443\/tcp, 2022\/tcp, 5657\/tcp, 8080\/tcp, 8081\/tcp\.$/ },
    {
      name: 'ufw with 22 and a database port open',
      script: { commands: { 'ufw status': { stdout: `${UFW_ACTIVE}OpenSSH                    ALLOW       Anywhere\n3306                       ALLOW IN    10.0.0.0/8\n` } } },
      status: 'warn',
      says: /opens ports beyond the panel's: 22\/tcp, 3306\/tcp, 3306\/udp \(22\/tcp should be closed once SSH is moved to 2022\)/,
    },
    { name: 'ufw inactive', script: { commands: { 'ufw status': { stdout: 'Status: inactive\n' } } }, status: 'fail', says: /ufw is installed but inactive/ },
    { name: 'ufw without root', script: { commands: { 'ufw status': { code: 1, stdout: 'ERROR: You need to be root to run this script\n' } } }, status: 'warn', says: /cannot be read by this user \(ERROR: You need to be root/ },
    {
      name: 'firewalld with the ssh service',
      script: { commands: { 'firewall-cmd --state': { stdout: 'running\n' }, 'firewall-cmd --list-ports': { stdout: '8080/tcp 5657/tcp 8081/tcp 2022/tcp\n' }, 'firewall-cmd --list-services': { stdout: 'dhcpv6-client ssh\n' } } },
      status: 'warn',
      says: /firewalld is active and opens ports beyond the panel's: 22\/tcp/,
    },
    { name: 'firewalld stopped', script: { commands: { 'firewall-cmd --state': { code: 252, stdout: 'not running\n' } } }, status: 'fail', says: /firewalld is installed but not running \(not running\)/ },
    { name: 'no firewall on a host', script: { files: { '/proc/1/cgroup': '0::/init.scope\n' } }, status: 'fail', says: /^No firewall: neither ufw nor firewalld is installed\.$/ },
    { name: 'no firewall seen from a container', script: { files: { '/.dockerenv': '' } }, status: 'warn', says: /Neither ufw nor firewalld is installed here\. This runs inside a container/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const out = await run('firewall', c.script);
      assert.equal(out.status, c.status, out.reason);
      assert.match(out.reason, c.says);
      if (out.status !== 'pass') assert.ok(out.fix);
    });
  }

  test('ufw status: IPv4 and IPv6 rules merge, app profiles expand, DENY rules are not open', () => {
    assert.deepEqual(parseUfwStatus(UFW_ACTIVE).open.sort(), ['2022/tcp', '443/tcp', '5657/tcp', '80/tcp', '8080/tcp', '8081/tcp']);
    assert.equal(parseUfwStatus('Status: inactive').active, false);
  });
});

describe('OS updates on Fedora', () => {
  const fedora = { '/etc/os-release': 'ID=fedora\nPRETTY_NAME="Fedora Linux 41"\n' };
  test('dnf check-update exit 100 with a security advisory fails and names the packages', async () => {
    const out = await run('os-updates', {
      files: fedora,
      commands: {
        'dnf -q -C check-update': { code: 100, stdout: '\nopenssl.x86_64    1:3.2.2-9.fc41    updates\nkernel.x86_64    6.11.7-300.fc41    updates\n' },
        'dnf -q -C updateinfo list --security': { stdout: 'FEDORA-2026-1a2b3c Important/Sec. openssl-1:3.2.2-9.fc41.x86_64\n' },
      },
    });
    assert.equal(out.status, 'fail');
    assert.equal(out.reason, '1 security update(s) pending, 2 package(s) to update (openssl.x86_64, kernel.x86_64).');
  });
  test('exit 0 passes; an unknown system warns', async () => {
    assert.equal((await run('os-updates', { files: fedora, commands: { 'dnf -q -C check-update': { code: 0 }, 'dnf -q -C updateinfo list --security': {} } })).status, 'pass');
    const unknown = await run('os-updates', { files: { '/etc/os-release': 'ID=alpine\nPRETTY_NAME="Alpine Linux v3.20"\n' } });
    assert.equal(unknown.status, 'warn');
    assert.match(unknown.reason, /Unknown operating system \(Alpine Linux v3\.20, ID=alpine\)/);
  });
  test('Ubuntu\'s apt-check counts security updates', async () => {
    const out = await run('os-updates', { files: { '/etc/os-release': 'ID=ubuntu\nID_LIKE=debian\n' }, commands: { '/usr/lib/update-notifier/apt-check': { stderr: '12;3' } } });
    assert.equal(out.status, 'fail');
    assert.match(out.reason, /^3 security update\(s\) pending, 12 update\(s\) in all\./);
  });
});

describe('fail2ban', () => {
  test('running with the aether and sshd jails passes; a missing jail warns by name; not installed warns', async () => {
    const ping = { 'fail2ban-client ping': { stdout: 'Server replied: pong\n' } };
    const both = await run('fail2ban', { files: DEBIAN, commands: { ...ping, 'fail2ban-client status': { stdout: 'Status\n|- Number of jail:\t2\n`- Jail list:\taether, sshd\n' } } });
    assert.equal(both.status, 'pass');
    assert.equal(both.reason, 'fail2ban runs with jail(s) aether, sshd.');
    const one = await run('fail2ban', { commands: { ...ping, 'fail2ban-client status': { stdout: 'Status\n|- Number of jail:\t1\n`- Jail list:\tsshd\n' } } });
    assert.equal(one.status, 'warn');
    assert.match(one.reason, /missing: aether\./);
    assert.match((await run('fail2ban', {})).reason, /^fail2ban is not installed/);
  });
});

describe('certificate renewal and SSH', () => {
  test('certbot\'s cron job with a deploy hook passes', async () => {
    const out = await run('certificate-renewal', {
      commands: { 'certbot --version': { stdout: 'certbot 2.1.0\n' } },
      files: { '/etc/cron.d/certbot': '0 */12 * * * root certbot -q renew\n', '/etc/letsencrypt/renewal-hooks/deploy/aether-reload-nginx.sh': '#!/bin/sh\n' },
      executables: ['/etc/letsencrypt/renewal-hooks/deploy/aether-reload-nginx.sh'],
      dirs: { '/etc/letsencrypt/live': ['README', 'panel.example.com'], '/etc/letsencrypt/renewal-hooks/deploy': ['aether-reload-nginx.sh'] },
    });
    assert.equal(out.status, 'pass', out.reason);
    assert.equal(out.reason, 'Renewal is automatic (/etc/cron.d/certbot exists); deploy hook(s) after renewal: aether-reload-nginx.sh. Certificates: panel.example.com.');
  });
  test('without an SSH server on a host there is nothing to harden', async () => {
    const out = await run('ssh', { files: { '/proc/1/cgroup': '0::/\n' } });
    assert.equal(out.status, 'pass');
    assert.match(out.reason, /^No SSH server is installed/);
  });
});

describe('the runner', () => {
  test('a check that throws or never answers becomes a warning with the message, and the others still run', async () => {
    const throws: Check = { id: 'throws', title: 'Throws', run: async () => { throw new Error('database is locked\n    at somewhere (file.ts:1:1)'); } };
    const hangs: Check = { id: 'hangs', title: 'Hangs', run: () => new Promise(() => undefined) };
    const fine: Check = { id: 'fine', title: 'Fine', run: async () => ({ status: 'pass', reason: 'ok', fix: null }) };
    const report = await runChecklist(ctxWith(scriptedProbe({})), [throws, hangs, fine]);
    assert.deepEqual(report.items.map((i) => [i.id, i.status]), [['throws', 'warn'], ['hangs', 'warn'], ['fine', 'pass']]);
    assert.equal(report.items[0]!.reason, 'Could not check: database is locked');
    assert.match(report.items[1]!.reason, /^Could not check: no answer within \d+ s\.$/);
    assert.deepEqual(report.summary, { pass: 1, warn: 2, fail: 0 });
  });
});
