// The OpenSSH sftp client in batch mode against the panel's SFTP server, signing in by key or by password.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HAS_SFTP_CLIENT = spawnSync('sftp', ['-V']).error === undefined && spawnSync('ssh-keygen', ['-?']).error === undefined;

export type SftpAuth = { password?: string; key?: string };

/** A script the client asks for the password (OpenSSH reads passwords from a terminal or SSH_ASKPASS only). */
export function askpassScript(dir: string, password: string): string {
  const file = join(dir, `askpass-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${password.replace(/'/g, `'\\''`)}'\n`);
  chmodSync(file, 0o700);
  return file;
}

/** The environment that makes the client take the password from askpassScript (or fail to, without one). */
export const askpassEnv = (dir: string, password: string | undefined): NodeJS.ProcessEnv => ({
  ...process.env,
  SSH_ASKPASS: password ? askpassScript(dir, password) : '/bin/false',
  SSH_ASKPASS_REQUIRE: 'force',
  DISPLAY: ':0',
});

/** The client's options for one port, with host keys kept in `dir` and one way of signing in. */
export function sftpArgs(dir: string, port: number, auth: SftpAuth): string[] {
  return [
    '-P', String(port),
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o', 'LogLevel=ERROR',
    '-o', `PreferredAuthentications=${auth.key ? 'publickey' : 'password'}`,
    '-o', 'NumberOfPasswordPrompts=1',
    ...(auth.key ? ['-i', auth.key, '-o', 'IdentitiesOnly=yes'] : ['-o', 'PubkeyAuthentication=no']),
  ];
}

/** Runs `sftp -b -` with these commands as `user` on 127.0.0.1; resolves with its exit code and output. */
export function runSftp(opts: { dir: string; port: number; user: string; commands: string[]; auth: SftpAuth; extra?: string[]; cwd?: string }): Promise<{ code: number; out: string }> {
  const args = [
    ...(opts.extra ?? []),
    // -b turns BatchMode on, which would refuse to ask for a password; the first value given (this one) wins.
    '-o', 'BatchMode=no',
    '-b', '-',
    ...sftpArgs(opts.dir, opts.port, opts.auth),
    `${opts.user}@127.0.0.1`,
  ];
  return new Promise((resolve) => {
    const child = spawn('sftp', args, { env: askpassEnv(opts.dir, opts.auth.password), cwd: opts.cwd ?? opts.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(`${opts.commands.join('\n')}\n`);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}
