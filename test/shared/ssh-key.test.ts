// Public key lines made by the real ssh-keygen: accepted types and strengths, fingerprints as ssh-keygen prints them,
// known_hosts and authorized_keys forms, and malformed or weak keys refused with a reason.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { hostKeyFingerprint, parsePublicKey, PublicKeyError } from '../../src/shared/ssh-key.ts';
import { needs } from '../helpers/require-component.ts';

const HAS_KEYGEN = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'aether-keys-'));

/** A key made by ssh-keygen: its .pub line and the fingerprint ssh-keygen prints for it. */
function keygen(name: string, ...args: string[]): { line: string; fingerprint: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-C', `${name}@test`, '-f', file, ...args]);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  return { line: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint };
}

describe('SSH public keys', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('ed25519, ECDSA and RSA of 3072 bits are accepted, with ssh-keygen\'s fingerprint', (t) => {
    if (!needs(t, 'ssh-keygen', HAS_KEYGEN, 'not found: apt-get install openssh-client')) return;
    const cases: Array<[string, string[], string, number]> = [
      ['ed', ['-t', 'ed25519'], 'ssh-ed25519', 256],
      ['p256', ['-t', 'ecdsa', '-b', '256'], 'ecdsa-sha2-nistp256', 256],
      ['p384', ['-t', 'ecdsa', '-b', '384'], 'ecdsa-sha2-nistp384', 384],
      ['p521', ['-t', 'ecdsa', '-b', '521'], 'ecdsa-sha2-nistp521', 521],
      ['rsa3072', ['-t', 'rsa', '-b', '3072'], 'ssh-rsa', 3072],
    ];
    for (const [name, args, type, bits] of cases) {
      const { line, fingerprint } = keygen(name, ...args);
      const key = parsePublicKey(line);
      assert.deepEqual([key.type, key.bits, key.fingerprint, key.comment], [type, bits, fingerprint, `${name}@test`], name);
      // The same key as a known_hosts line, and as an authorized_keys line with options.
      assert.equal(parsePublicKey(`[host.example]:2222 ${line}`).fingerprint, fingerprint);
      assert.equal(parsePublicKey(`no-pty ${line}`).fingerprint, fingerprint);
      assert.equal(hostKeyFingerprint(line), fingerprint);
    }
  });

  test('weak, unknown and malformed keys are refused with the reason', (t) => {
    if (!needs(t, 'ssh-keygen', HAS_KEYGEN, 'not found: apt-get install openssh-client')) return;
    const rsa2048 = keygen('rsa2048', '-t', 'rsa', '-b', '2048').line;
    assert.throws(() => parsePublicKey(rsa2048), (e: unknown) => e instanceof PublicKeyError && /2048 bits; at least 3072/.test(e.message));
    const ed = keygen('ed2', '-t', 'ed25519').line;
    const [type, data] = ed.split(' ');
    assert.throws(() => parsePublicKey(`ssh-rsa ${data}`), /type and its data do not match/);
    assert.throws(() => parsePublicKey(`${type} ${data!.slice(0, 40)}`), PublicKeyError);
    assert.throws(() => parsePublicKey('ssh-dss AAAAB3NzaC1kc3MAAACBAP'), PublicKeyError);
    assert.throws(() => parsePublicKey('-----BEGIN OPENSSH PRIVATE KEY-----'), /Not an OpenSSH public key line/);
    assert.throws(() => parsePublicKey(`${ed}\n${ed}`), /one key, on one line/);
    assert.equal(hostKeyFingerprint('SHA256:short'), null);
  });
});
