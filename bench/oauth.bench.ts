// OAuth2: bearer-authenticated API requests against session-authenticated ones in the same run, and the token issuance rate.
import { TestClient } from '../test/helpers/client.ts';
import type { PanelServerInfo } from './panel-server.ts';
import { startServer } from './server-process.ts';
import { measureInRounds, THROUGHPUT, type Run } from './throughput.bench.ts';

export const OAUTH_BENCH = {
  rounds: 3,
  durationSeconds: 4,
  /** A route both kinds of caller may use that touches no database (clients.view): the authentication is what differs. */
  path: '/api/v1/clients/meta',
  targetRatio: 0.9,
};

export type OAuthBenchResult = {
  settings: { rounds: number; durationSeconds: number; connections: number; path: string };
  session: Run;
  bearer: Run;
  tokens: Run;
  /** Bearer req/s over session req/s: what a token lookup costs against a session lookup. */
  bearerOverSession: number;
  /** Tokens issued per second over bearer requests per second. */
  tokensOverBearer: number;
  targetRatio: number;
};

export async function runOAuthBench(): Promise<OAuthBenchResult> {
  const limit = { points: THROUGHPUT.apiPoints, durationSeconds: 60, blockSeconds: 0 };
  const panel = await startServer<PanelServerInfo>('./panel-server.ts', [JSON.stringify({ rateLimits: { apiPerIp: limit, apiPerPrincipal: limit, apiPerClient: limit } })]);
  try {
    const base = `http://127.0.0.1:${panel.info.port}`;
    const client = new TestClient(base);
    const login = await client.login(panel.info.apiUser.username, panel.info.apiUser.password);
    if (login.status !== 200) throw new Error(`bench login failed: ${login.status} ${login.text}`);
    const { clientId, clientSecret } = panel.info.oauthClient;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
    const tokenRes = await fetch(`${base}/oauth2/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials' });
    const token = ((await tokenRes.json()) as { access_token?: string }).access_token;
    if (!token) throw new Error(`bench token request failed: ${tokenRes.status}`);
    for (const [name, headers] of [['session', { cookie: client.cookieHeader() }], ['bearer', { authorization: `Bearer ${token}` }]] as const) {
      const res = await fetch(`${base}${OAUTH_BENCH.path}`, { headers });
      if (res.status !== 200) throw new Error(`${name} request failed: ${res.status}`);
    }
    const runs = await measureInRounds(
      {
        session: { url: `${base}${OAUTH_BENCH.path}`, headers: { cookie: client.cookieHeader() } },
        bearer: { url: `${base}${OAUTH_BENCH.path}`, headers: { authorization: `Bearer ${token}` } },
        tokens: { url: `${base}/oauth2/token`, headers: form, method: 'POST', body: 'grant_type=client_credentials' },
      },
      OAUTH_BENCH,
    );
    const ratio = (a: Run, b: Run) => Math.floor((a.reqPerSec / b.reqPerSec) * 1000) / 1000;
    return {
      settings: { rounds: OAUTH_BENCH.rounds, durationSeconds: OAUTH_BENCH.durationSeconds, connections: THROUGHPUT.connections, path: OAUTH_BENCH.path },
      ...runs,
      bearerOverSession: ratio(runs.bearer, runs.session),
      tokensOverBearer: ratio(runs.tokens, runs.bearer),
      targetRatio: OAUTH_BENCH.targetRatio,
    };
  } finally {
    await panel.stop();
  }
}
