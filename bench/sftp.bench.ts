// SFTP: a 256 MiB upload and download with the OpenSSH sftp client against the panel's SFTP server (into a real
// server's files) and against OpenSSH's own internal-sftp (a throwaway sshd on 127.0.0.1 with its own config), in
// alternating rounds of one run; medians and the ratio of throughputs are reported.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dockerReachable, testImageCurrent } from '../scripts/test-image.js';
import { freePort } from '../test/helpers/mail-server.ts';
import { panelWithAdmin } from '../test/helpers/fixtures.ts';

export const SFTP_BENCH = { mib: 256, rounds: 5, targetRatio: 1.0 };

type Direction = { upMs: number; downMs: number };
export type SftpBenchResult = {
  mib: number;
  rounds: number;
  panel: Direction & { upMBps: number; downMBps: number };
  openssh: Direction & { upMBps: number; downMBps: number };
  /** Panel throughput over OpenSSH's, per direction (>= 1: as fast or faster). */
  ratio: { up: number; down: number };
  targetRatio: number;
  byRound: { panel: Direction[]; openssh: Direction[] };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (mib: number, ms: number) => Math.round(((mib * 1024 * 1024) / 1e6 / (ms / 1000)) * 10) / 10;

/** One `sftp -b -` run; resolves with its wall time, fails on a non-zero exit. */
function timed(args: string[], commands: string, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('sftp', ['-o', 'BatchMode=yes', '-b', '-', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', ...args], { cwd, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(commands);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`sftp exited ${code}: ${err}`))));
  });
}

export async function runSftpBench(): Promise<SftpBenchResult> {
  if (!dockerReachable() || !testImageCurrent()) throw new Error('sftp bench: needs a Docker Engine and the test image (npm run test:image)');
  const dir = mkdtempSync(join(tmpdir(), 'aether-sftp-bench-'));
  let sshd: ChildProcess | null = null;
  const { panel, admin } = await panelWithAdmin({ sftp: { enabled: true }, servers: { portRange: { min: 38600, max: 38609 } } });
  let serverId = '';
  try {
    // One key for both servers: the client side is the same, only the server differs.
    const key = join(dir, 'client');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', key]);
    const local = join(dir, 'local');
    mkdirSync(local);
    const payload = join(local, 'payload.bin');
    writeFileSync(payload, execFileSync('head', ['-c', String(SFTP_BENCH.mib * 1024 * 1024), '/dev/urandom'], { maxBuffer: 2 * SFTP_BENCH.mib * 1024 * 1024 }));

    // The panel: a server with room for the file, the admin's key registered.
    const created = await admin.post('/api/v1/servers', { name: 'sftp-bench', template: 'test-server', limits: { diskMb: 4 * SFTP_BENCH.mib } });
    if (created.status !== 201) throw new Error(`sftp bench: create answered ${created.status}: ${created.text}`);
    serverId = created.body.server.id;
    const added = await admin.post('/api/v1/users/me/ssh-keys', { publicKey: readFileSync(`${key}.pub`, 'utf8'), currentPassword: 'Correct-Horse-Battery-9' });
    if (added.status !== 201) throw new Error(`sftp bench: adding the key answered ${added.status}: ${added.text}`);
    const panelArgs = ['-P', String(panel.sftpPort()), '-i', key, '-o', 'IdentitiesOnly=yes', `root-admin.${created.body.server.shortId}@127.0.0.1`];

    // OpenSSH: internal-sftp from a throwaway sshd, files in a directory of its own.
    const sshDir = join(dir, 'sshd');
    mkdirSync(sshDir, { mode: 0o700 });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(sshDir, 'host')]);
    writeFileSync(join(sshDir, 'authorized_keys'), readFileSync(`${key}.pub`));
    const remote = join(dir, 'openssh-files');
    mkdirSync(remote);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const port = await freePort();
    writeFileSync(
      join(sshDir, 'sshd_config'),
      [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(sshDir, 'host')}`, `AuthorizedKeysFile ${join(sshDir, 'authorized_keys')}`, `PidFile ${join(sshDir, 'pid')}`, 'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'UsePAM no', 'StrictModes no', 'Subsystem sftp internal-sftp', `ForceCommand internal-sftp -d ${remote}`].join('\n') + '\n',
    );
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshDir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      sshd!.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Server listening')) resolve();
      });
      sshd!.on('exit', () => reject(new Error(`sftp bench: sshd ended: ${log}`)));
    });
    const opensshArgs = ['-P', String(port), '-i', key, '-o', 'IdentitiesOnly=yes', 'root@127.0.0.1'];

    const sides = { panel: panelArgs, openssh: opensshArgs } as const;
    const byRound: SftpBenchResult['byRound'] = { panel: [], openssh: [] };
    for (let round = 0; round < SFTP_BENCH.rounds; round += 1) {
      const order = round % 2 === 0 ? (['panel', 'openssh'] as const) : (['openssh', 'panel'] as const);
      for (const side of order) {
        const upMs = await timed(sides[side], 'put payload.bin payload.bin\n', local);
        rmSync(join(local, 'back.bin'), { force: true });
        const downMs = await timed(sides[side], 'get payload.bin back.bin\nrm payload.bin\n', local);
        if (statSync(join(local, 'back.bin')).size !== SFTP_BENCH.mib * 1024 * 1024) throw new Error(`sftp bench: ${side} returned a file of another size`);
        byRound[side].push({ upMs: Math.round(upMs), downMs: Math.round(downMs) });
      }
    }
    const summarise = (rows: Direction[]) => {
      const upMs = median(rows.map((r) => r.upMs));
      const downMs = median(rows.map((r) => r.downMs));
      return { upMs, downMs, upMBps: mbps(SFTP_BENCH.mib, upMs), downMBps: mbps(SFTP_BENCH.mib, downMs) };
    };
    const p = summarise(byRound.panel);
    const o = summarise(byRound.openssh);
    return {
      mib: SFTP_BENCH.mib,
      rounds: SFTP_BENCH.rounds,
      panel: p,
      openssh: o,
      ratio: { up: Math.round((o.upMs / p.upMs) * 100) / 100, down: Math.round((o.downMs / p.downMs) * 100) / 100 },
      targetRatio: SFTP_BENCH.targetRatio,
      byRound,
    };
  } finally {
    sshd?.kill();
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`).catch(() => undefined);
    await panel.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
