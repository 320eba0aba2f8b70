// A throwaway OpenSSH server on 127.0.0.1 with its own config, host keys and one authorized client key.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, freePort } from './mail-server.ts';

export const SSHD = '/usr/sbin/sshd';
export const HAS_SSHD = spawnSync(SSHD, ['-V'], { stdio: 'ignore' }).error === undefined && process.getuid?.() === 0;
export const SSHD_MISSING = `not found at ${SSHD} or not root: apt-get install openssh-server, run the tests as root`;

export type Sshd = {
  port: number;
  /** The host's public key line, and another one (a host it is not). */
  hostPub: string;
  otherHostPub: string;
  /** Files: the client's private key (authorized) and the other host key's public half. */
  clientKey: string;
  otherHostPubFile: string;
  hostPubFile: string;
  process: ChildProcess;
  log(): string;
  stop(): void;
};

/** Starts sshd in `dir` (made); `extra` lines go into its config (a Subsystem, a ForceCommand). */
export async function startSshd(dir: string, extra: string[] = []): Promise<Sshd> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, file)]);
  keygen('host');
  keygen('other-host');
  keygen('client');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      ...extra,
    ].join('\n') + '\n',
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await eventually(() => log.includes('Server listening') || child.exitCode !== null, 'sshd to listen');
  if (child.exitCode !== null) throw new Error(`sshd ended: ${log}`);
  return {
    port,
    hostPub: readFileSync(join(dir, 'host.pub'), 'utf8').trim(),
    otherHostPub: readFileSync(join(dir, 'other-host.pub'), 'utf8').trim(),
    clientKey: join(dir, 'client'),
    hostPubFile: join(dir, 'host.pub'),
    otherHostPubFile: join(dir, 'other-host.pub'),
    process: child,
    log: () => log,
    stop: () => void child.kill(),
  };
}
