// Backup and restore of a panel whose one server holds 1 GiB of files (half random bytes, half text), with the
// `aether` CLI as an administrator runs it, against the same work done by standard tools in the same run:
// `tar | gzip -1 | age -r` to back up, `age -d | gunzip | tar -x` to restore. Wall time of each, and the peak RSS of
// the aether processes (GNU time's maximum resident set size).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { newIdentity } from '../src/backup/index.ts';
import { dockerReachable, testImageCurrent } from '../scripts/test-image.js';
import { panelWithAdmin } from '../test/helpers/fixtures.ts';

export const BACKUP_BENCH = { mib: 1024, targetPeakRssMiB: 256 };

const BIN = fileURLToPath(new URL('../bin/aether.js', import.meta.url));

export type BackupBenchResult = {
  mib: number;
  backup: { panelMs: number; toolsMs: number; ratio: number; panelPeakRssMiB: number; panelBytes: number; toolsBytes: number };
  restore: { panelMs: number; toolsMs: number; ratio: number; panelPeakRssMiB: number };
  targetPeakRssMiB: number;
};

/** Runs a command under GNU time; resolves with its wall time and maximum RSS, fails on a non-zero exit. */
function measured(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMiB: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS %M', cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const kib = Number(/MAXRSS (\d+)/.exec(err)?.[1] ?? NaN);
      if (code === 0) resolve({ ms: Math.round(ms), rssMiB: Math.round((kib / 1024) * 10) / 10 });
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** `mib` MiB of files: half in random 8 MiB files, half in text files of 1 MiB that compress as logs do. */
async function fill(dir: string, mib: number): Promise<void> {
  mkdirSync(join(dir, 'world'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  for (let i = 0; i < mib / 2 / 8; i += 1) writeFileSync(join(dir, 'world', `region-${i}.mca`), randomBytes(8 * 1024 * 1024));
  const line = (n: number) => `[2026-11-27 12:${String(n % 60).padStart(2, '0')}:00] [Server thread/INFO]: Player${n % 97} joined the game (id ${n})\n`;
  for (let i = 0; i < mib / 2; i += 1) {
    const out = createWriteStream(join(dir, 'logs', `log-${i}.txt`));
    let size = 0;
    let n = i * 100_000;
    while (size < 1024 * 1024) {
      const l = line(n++);
      size += l.length;
      out.write(l);
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
}

export async function runBackupBench(): Promise<BackupBenchResult> {
  if (!dockerReachable() || !testImageCurrent()) throw new Error('backup bench: needs a Docker Engine and the test image (npm run test:image)');
  const work = mkdtempSync(join(tmpdir(), 'aether-backup-bench-'));
  const { panel, admin } = await panelWithAdmin({ servers: { portRange: { min: 38700, max: 38709 } } });
  let serverId = '';
  try {
    const { identity, recipient } = await newIdentity();
    const idFile = join(work, 'identity.txt');
    writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
    const created = await admin.post('/api/v1/servers', { name: 'backup-bench', template: 'test-server', limits: { diskMb: 2 * BACKUP_BENCH.mib } });
    if (created.status !== 201) throw new Error(`backup bench: create answered ${created.status}: ${created.text}`);
    serverId = created.body.server.id;
    const serverDir = panel.services.servers.dataDirOf(serverId);
    await fill(serverDir, BACKUP_BENCH.mib);
    const configPath = panel.config.configPath;
    // The backup is made by the CLI from the panel's config, with the recipient added.
    const config = JSON.parse(execFileSync('cat', [configPath], { encoding: 'utf8' })) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, backup: { recipients: [recipient], dir: join(work, 'backups') } }));
    const env = { ...process.env, AETHER_BACKUP_PASSPHRASE: '' };

    const made = await measured(process.execPath, [BIN, 'backup', 'create', '--files', '--config', configPath], env);
    const file = join(work, 'backups', readdirSync(join(work, 'backups')).find((n) => n.endsWith('.tar.gz.age'))!);
    const toolsOut = join(work, 'tools.tar.gz.age');
    const tools = await measured('bash', ['-c', `set -o pipefail; tar -C ${JSON.stringify(join(serverDir, '..'))} -cf - ${serverId} | gzip -1 | age -r ${recipient} -o ${JSON.stringify(toolsOut)}`], env);

    const restoreDir = join(work, 'restored');
    const restored = await measured(process.execPath, [BIN, 'restore', file, '--data-dir', restoreDir, '--identity', idFile, '--config', configPath], env);
    const toolsDir = join(work, 'tools-restored');
    mkdirSync(toolsDir);
    const toolsRestore = await measured('bash', ['-c', `set -o pipefail; age -d -i ${JSON.stringify(idFile)} ${JSON.stringify(toolsOut)} | gunzip | tar -x -C ${JSON.stringify(toolsDir)}`], env);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      mib: BACKUP_BENCH.mib,
      backup: { panelMs: made.ms, toolsMs: tools.ms, ratio: ratio(made.ms, tools.ms), panelPeakRssMiB: made.rssMiB, panelBytes: statSync(file).size, toolsBytes: statSync(toolsOut).size },
      restore: { panelMs: restored.ms, toolsMs: toolsRestore.ms, ratio: ratio(restored.ms, toolsRestore.ms), panelPeakRssMiB: restored.rssMiB },
      targetPeakRssMiB: BACKUP_BENCH.targetPeakRssMiB,
    };
  } finally {
    if (serverId) await admin.del(`/api/v1/servers/${serverId}`).catch(() => undefined);
    await panel.close();
    rmSync(work, { recursive: true, force: true });
  }
}
