// Wrong-password timing with and without 2FA: the login must not tell whether an account has a second factor.
import { TestClient } from '../test/helpers/client.ts';
import type { PanelServerInfo } from './panel-server.ts';
import { startServer } from './server-process.ts';

export const LOGIN_2FA = {
  /** Wrong-password logins per account, interleaved (plain, 2FA, plain, ...) so drift touches both alike. */
  attempts: 40,
  /** The 2FA account's median over the plain account's; 1.0 means indistinguishable. */
  targetRatioRange: [0.9, 1.1] as const,
};

export type Login2faResult = {
  attempts: number;
  plainMedianMs: number;
  twoFactorMedianMs: number;
  /** Median wrong-password latency, 2FA account over plain account. */
  ratio: number;
  /** Every answer's status and error code, per account: they must be the same. */
  plainAnswers: Record<string, number>;
  twoFactorAnswers: Record<string, number>;
  /** Right password, for comparison: the plain account is signed in, the 2FA account gets its pending second step. */
  rightPasswordPlainMs: number;
  rightPasswordTwoFactorMs: number;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (ms: number) => Math.round(ms * 100) / 100;

async function timed(base: string, username: string, password: string, address: string): Promise<{ ms: number; answer: string }> {
  const client = new TestClient(base, { localAddress: address });
  const start = performance.now();
  const res = await client.login(username, password);
  const ms = performance.now() - start;
  const code = (res.body as { error?: { code?: string } } | undefined)?.error?.code;
  return { ms, answer: code ? `${res.status} ${code}` : String(res.status) };
}

export async function runLogin2fa(): Promise<Login2faResult> {
  // Production hashing; login limits raised so every attempt is checked rather than refused.
  const lots = { points: 1_000_000, durationSeconds: 60, blockSeconds: 0 };
  const panel = await startServer<PanelServerInfo>('./panel-server.ts', [JSON.stringify({ rateLimits: { loginPerIp: lots, loginPerAccount: lots, loginPerIpAccount: lots } })]);
  try {
    const base = `http://127.0.0.1:${panel.info.port}`;
    const { user, twoFactorUser } = panel.info;
    // Warm-up: one of each.
    await timed(base, user.username, 'Wrong-Pass-Warmup-1', '127.0.0.3');
    await timed(base, twoFactorUser.username, 'Wrong-Pass-Warmup-1', '127.0.0.3');
    const plain: number[] = [];
    const twoFactor: number[] = [];
    const plainAnswers: Record<string, number> = {};
    const twoFactorAnswers: Record<string, number> = {};
    for (let i = 0; i < LOGIN_2FA.attempts; i += 1) {
      const order = i % 2 === 0 ? ([user, twoFactorUser] as const) : ([twoFactorUser, user] as const);
      for (const account of order) {
        const { ms, answer } = await timed(base, account.username, `Wrong-Pass-${i}-x`, '127.0.0.3');
        const [list, answers] = account === user ? [plain, plainAnswers] : [twoFactor, twoFactorAnswers];
        list.push(ms);
        answers[answer] = (answers[answer] ?? 0) + 1;
      }
    }
    const rightPlain = await timed(base, user.username, user.password, '127.0.0.4');
    const rightTwoFactor = await timed(base, twoFactorUser.username, twoFactorUser.password, '127.0.0.4');
    const plainMedianMs = median(plain);
    const twoFactorMedianMs = median(twoFactor);
    return {
      attempts: LOGIN_2FA.attempts,
      plainMedianMs: round(plainMedianMs),
      twoFactorMedianMs: round(twoFactorMedianMs),
      ratio: Math.round((twoFactorMedianMs / plainMedianMs) * 1000) / 1000,
      plainAnswers,
      twoFactorAnswers,
      rightPasswordPlainMs: round(rightPlain.ms),
      rightPasswordTwoFactorMs: round(rightTwoFactor.ms),
    };
  } finally {
    await panel.stop();
  }
}
