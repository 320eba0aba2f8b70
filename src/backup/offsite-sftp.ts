// Copies backups to an SFTP server off the machine with the OpenSSH sftp client: key login, the host's key pinned
// (a known_hosts file of that one key, strict checking), each file written under a temporary name and renamed when
// whole; and removes the ones retention dropped.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export type OffsiteSftp = { host: string; port: number; user: string; keyFile: string; hostKey: string; dir: string };

/** A path quoted for an sftp batch line (the config refuses quotes and line breaks in it). */
const q = (path: string) => `"${path}"`;

/** Runs sftp batch commands against the host; rejects with sftp's own words on failure. */
function batch(cfg: OffsiteSftp, commands: string[], timeoutMs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aether-offsite-'));
  const knownHosts = join(dir, 'known_hosts');
  const hostName = cfg.port === 22 ? cfg.host : `[${cfg.host}]:${cfg.port}`;
  writeFileSync(knownHosts, `${hostName} ${cfg.hostKey.split(' ').slice(0, 2).join(' ')}\n`, { mode: 0o600 });
  const args = [
    '-b', '-',
    '-P', String(cfg.port),
    '-i', cfg.keyFile,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=20',
    '-o', 'LogLevel=ERROR',
    `${cfg.user}@${cfg.host}`,
  ];
  return new Promise<void>((resolve, reject) => {
    const child = spawn('sftp', args, { stdio: ['pipe', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`sftp could not run: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve();
      else reject(new Error(`copying to ${cfg.user}@${cfg.host}:${cfg.port} failed${signal ? ' (timed out)' : ''}: ${err.trim().split('\n').slice(-3).join(' ').slice(0, 400) || `sftp exited ${code}`}`));
    });
    child.stdin.end(`${commands.join('\n')}\n`);
  });
}

/** Puts a backup in the host's directory: as .<name>.partial first, renamed when whole. */
export function copyToSftp(cfg: OffsiteSftp, file: string, timeoutMs = 30 * 60_000): Promise<void> {
  const name = basename(file);
  const partial = `${cfg.dir}/.${name}.partial`;
  // A leading "-" lets a command fail without ending the batch (the directory may exist; no partial may be left).
  return batch(cfg, [`-mkdir ${q(cfg.dir)}`, `-rm ${q(partial)}`, `put ${q(file)} ${q(partial)}`, `rename ${q(partial)} ${q(`${cfg.dir}/${name}`)}`], timeoutMs);
}

/** Removes backups (by name) from the host's directory; ones already gone are not an error. */
export function removeFromSftp(cfg: OffsiteSftp, names: readonly string[], timeoutMs = 5 * 60_000): Promise<void> {
  if (names.length === 0) return Promise.resolve();
  return batch(cfg, names.map((n) => `-rm ${q(`${cfg.dir}/${basename(n)}`)}`), timeoutMs);
}
