// Two-factor helpers for tests: authenticator codes computed from the secret the panel showed, and a full 2FA sign-in.
import assert from 'node:assert/strict';
import { generateSync } from 'otplib';
import type { Clock } from '../../src/shared/clock.ts';
import { TestClient } from './client.ts';

/** The code an authenticator app shows for this secret at the clock's time, `steps` periods of 30 s away. */
export const codeAt = (secret: string, clock: Clock, steps = 0): string => generateSync({ secret, epoch: Math.floor(clock.now() / 1000) + steps * 30 });

/** Turns 2FA on for the signed-in client; returns the secret and the recovery codes. */
export async function enableTwoFactor(client: TestClient, clock: Clock): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await client.post('/api/v1/account/2fa/setup');
  assert.equal(setup.status, 200, setup.text);
  const confirm = await client.post('/api/v1/account/2fa/confirm', { code: codeAt(setup.body.secret, clock) });
  assert.equal(confirm.status, 200, confirm.text);
  client.csrf = confirm.body.csrfToken;
  return { secret: setup.body.secret as string, recoveryCodes: confirm.body.recoveryCodes as string[] };
}

/** Password, then code: a new client signed in with both. The clock must be past the last step a code was used for. */
export async function signInWithCode(base: string, username: string, password: string, proof: { code: string } | { recoveryCode: string }, opts: { localAddress?: string } = {}): Promise<TestClient> {
  const client = new TestClient(base, opts);
  const first = await client.login(username, password);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.twoFactorRequired, true);
  const second = await client.post('/api/v1/auth/2fa', proof);
  assert.equal(second.status, 200, second.text);
  client.csrf = second.body.csrfToken;
  return client;
}
