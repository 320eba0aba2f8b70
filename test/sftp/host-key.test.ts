// The SFTP host key: an ed25519 key made at first start, kept with mode 0600, and the same after a restart, so clients
// that trusted it once are not told it changed.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { restartablePanel, type TestPanel } from '../helpers/panel.ts';
import { HAS_SFTP_CLIENT } from '../helpers/sftp-client.ts';
import { needs } from '../helpers/require-component.ts';

test('the host key is made once (ed25519, 0600) and kept across restarts; ssh-keyscan sees the fingerprint the panel reports', async (t) => {
  const panels = restartablePanel({ sftp: { enabled: true, port: 0 } });
  let open: TestPanel | null = null;
  t.after(async () => {
    await open?.close();
    panels.remove();
  });
  const first = (open = await panels.start());
  const file = join(first.config.paths.dataDir, 'keys', 'sftp_host_ed25519');
  const fingerprint = first.sftp!.hostKeyFingerprint;
  assert.match(fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  if (needs(t, 'ssh-keyscan', HAS_SFTP_CLIENT, 'not found: apt-get install openssh-client')) {
    // Not execFileSync: the panel answers from this process.
    const { stdout: scanned } = await promisify(execFile)('ssh-keyscan', ['-t', 'ed25519', '-p', String(first.sftpPort()), '127.0.0.1'], { encoding: 'utf8' });
    const seen = execFileSync('ssh-keygen', ['-l', '-f', '-'], { input: scanned, encoding: 'utf8' });
    assert.ok(seen.includes(fingerprint), `${seen} vs ${fingerprint}`);
  }
  const made = statSync(file).mtimeMs;
  await first.close();
  open = null;

  const second = (open = await panels.start());
  assert.equal(second.sftp!.hostKeyFingerprint, fingerprint);
  assert.equal(statSync(file).mtimeMs, made, 'the key file was not written again');
});
