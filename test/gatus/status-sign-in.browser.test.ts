// The status page behind the panel's own sign-in, in chromium: a relying party doing what Gatus's OIDC security does
// (discovery at the issuer, the authorization code flow with state and nonce, the code exchanged with the client
// secret over Basic auth, the ID token's RS256 signature checked against the JWKS, its issuer, audience, expiry and
// nonce) signs a panel user in. The panel's sign-in page is shown first to someone not signed in, and every time
// after signing out of the panel; a disabled user, a wrong secret and a page left public are refused.
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { TestClient } from '../helpers/client.ts';
import { goTo, logout, needsChromium, panelWithBrowser, screenshot, setupAdminInBrowser, watchContext } from '../helpers/browser.ts';
import { ConfigError } from '../../src/config/index.ts';
import { statusPageSecret } from '../../src/gatus/index.ts';
import { ADMIN, createUser, panelWithAdmin } from '../helpers/fixtures.ts';
import { freePort } from '../helpers/mail-server.ts';

type Discovery = { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };

const b64json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

/** Gatus's side of the sign-in, as its security/oidc.go does it with go-oidc and golang.org/x/oauth2. */
async function relyingParty(issuer: string, clientId: string, secret: () => string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const redirectUri = `${base}/authorization-code/callback`;
  const pending = new Map<string, string>(); // state -> nonce
  const log: string[] = [];
  const discovery = async (): Promise<Discovery> => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
    const doc = (await res.json()) as Discovery;
    // go-oidc refuses a provider whose discovery names another issuer.
    if (doc.issuer !== issuer) throw new Error(`issuer mismatch: ${doc.issuer}`);
    return doc;
  };
  const send = (res: ServerResponse, status: number, text: string) => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/oidc/login') {
      const doc = await discovery();
      const state = randomBytes(16).toString('hex');
      const nonce = randomBytes(16).toString('hex');
      pending.set(state, nonce);
      const auth = new URL(doc.authorization_endpoint);
      for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state, nonce })) auth.searchParams.set(k, v);
      res.writeHead(302, { Location: auth.href }).end();
      return;
    }
    if (url.pathname === '/authorization-code/callback') {
      const state = url.searchParams.get('state') ?? '';
      const nonce = pending.get(state);
      if (url.searchParams.get('error')) return send(res, 400, `error: ${url.searchParams.get('error')}: ${url.searchParams.get('error_description')}`);
      if (!nonce) return send(res, 400, 'state did not match');
      pending.delete(state);
      const doc = await discovery();
      const tokenRes = await fetch(doc.token_endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret())}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: url.searchParams.get('code') ?? '', redirect_uri: redirectUri }).toString(),
      });
      const tokens = (await tokenRes.json()) as { id_token?: string; error?: string };
      log.push(`token ${tokenRes.status} ${tokens.error ?? ''}`.trim());
      if (tokenRes.status !== 200 || !tokens.id_token) return send(res, 500, `Error exchanging token: ${tokenRes.status} ${tokens.error}`);
      const [h, p, sig] = tokens.id_token.split('.') as [string, string, string];
      const header = b64json(h);
      const payload = b64json(p);
      const jwks = (await (await fetch(doc.jwks_uri)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
      const jwk = jwks.keys.find((k) => k.kid === header.kid);
      if (header.alg !== 'RS256' || !jwk) return send(res, 500, 'Failed to verify id_token: unknown key');
      if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(sig, 'base64url'))) return send(res, 500, 'Failed to verify id_token: bad signature');
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (payload.iss !== issuer || !aud.includes(clientId) || Number(payload.exp) * 1000 < Date.now()) return send(res, 500, 'Failed to verify id_token: claims');
      if (payload.nonce !== nonce) return send(res, 400, 'nonce did not match');
      return send(res, 200, `Signed in to the status page as ${String(payload.sub)}`);
    }
    send(res, 404, 'not found');
  };
  const server = createServer((req, res) => void handle(req, res).catch((err: unknown) => send(res, 500, (err as Error).message)));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { base, redirectUri, log, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('the status page behind the panel\'s sign-in (OpenID Connect, as Gatus does it)', { timeout: 180_000 }, async (t) => {
  if (!needsChromium(t)) return;
  // The issuer is the panel's own address, so the panel needs a known port before it starts.
  const panelPort = await freePort();
  const issuer = `http://127.0.0.1:${panelPort}/oauth2`;
  let secret = 'x'.repeat(40);
  const rp = await relyingParty(issuer, 'aether-status-page', () => secret);
  t.after(() => rp.close());
  const { panel, browser } = await panelWithBrowser(t, {
    http: { host: '127.0.0.1', port: panelPort },
    gatus: { statusPageUrl: rp.base, configPath: 'gatus/config.yaml' },
  });
  secret = panel.services.gatus.access.secret;
  const context = await browser.newContext();
  const problems = await watchContext(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await setupAdminInBrowser(page, panel, ADMIN);
  const admin = new TestClient(panel.url);
  assert.equal((await admin.login(ADMIN.username, ADMIN.password)).status, 200);

  // Public (the default): the panel offers no sign-in to the status page at all.
  assert.equal((await fetch(`${issuer}/.well-known/openid-configuration`)).status, 404);
  const before = await admin.get('/api/v1/settings/status-page');
  assert.equal(before.status, 200);
  assert.deepEqual(before.body.access, { kind: 'public' });
  assert.deepEqual(before.body.signIn, { issuer, clientId: 'aether-status-page', redirectUri: rp.redirectUri, secretEnv: 'AETHER_GATUS_OIDC_SECRET' });
  assert.ok(!JSON.stringify(before.body).includes(secret), 'the secret is never shown');

  // The administrator puts the page behind the panel's sign-in: Gatus's file says so, with the secret as a variable.
  await goTo(page, 'nav-settings', 'Settings', 'status-page-form');
  const form = page.getByTestId('status-page-form');
  assert.equal(await form.getByTestId('status-page-url').textContent(), rp.base);
  await form.getByTestId('status-page-access').selectOption('panel');
  await form.getByTestId('status-page-oidc').filter({ hasText: 'AETHER_GATUS_OIDC_SECRET' }).waitFor();
  await form.getByTestId('status-page-save').click();
  await form.getByTestId('notice').filter({ hasText: 'Gatus picks the change up' }).waitFor();
  await screenshot(page, 'settings-status-page-light');
  assert.deepEqual((await admin.get('/api/v1/settings/status-page')).body.access, { kind: 'panel' });
  const gatusFile = join(panel.dir, 'gatus', 'config.yaml');
  const written = await (async () => {
    for (let i = 0; i < 200; i += 1) {
      try {
        const text = readFileSync(gatusFile, 'utf8');
        if (text.includes('oidc')) return text;
      } catch {
        // not written yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the Gatus file never got the oidc section');
  })();
  const security = (parse(written) as { security: { oidc: Record<string, unknown> } }).security.oidc;
  assert.deepEqual(security, { 'issuer-url': issuer, 'redirect-url': rp.redirectUri, 'client-id': 'aether-status-page', 'client-secret': '${AETHER_GATUS_OIDC_SECRET}', scopes: ['openid'] });
  assert.ok(!written.includes(secret));
  const audit = await admin.get('/api/v1/audit?type=settings.status_page_access_changed');
  assert.equal(audit.body.items[0].details.after, 'panel');

  // Signed in to the panel already: straight through to the status page, as the admin.
  const adminId = (await admin.get('/api/v1/auth/session')).body.user.id as string;
  await page.goto(`${rp.base}/oidc/login`);
  await page.getByText(`Signed in to the status page as ${adminId}`).waitFor();

  // After signing out of the panel, the status page asks for the panel's sign-in again, then returns.
  await page.goto(`${panel.url}/`);
  await logout(page);
  await page.goto(`${rp.base}/oidc/login`);
  await page.waitForURL((u) => u.pathname === '/login' && (u.searchParams.get('next') ?? '').startsWith('/oauth2/interaction/'));
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByText(`Signed in to the status page as ${adminId}`).waitFor();
  const signIns = await admin.get('/api/v1/audit?type=status_page.sign_in');
  assert.equal(signIns.body.items.length, 2);

  // Any user of the panel may see it; a disabled one cannot (the provider asks the panel each time).
  const user = await createUser(panel, admin, ['server-owner']);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${rp.base}/oidc/login`);
  await otherPage.getByTestId('login-username').fill(user.username);
  await otherPage.getByTestId('login-password').fill(user.password);
  await otherPage.getByTestId('login-submit').click();
  await otherPage.getByText(`Signed in to the status page as ${user.id}`).waitFor();
  assert.equal((await admin.patch(`/api/v1/users/${user.id}`, { disabled: true })).status, 200);
  await otherPage.goto(`${rp.base}/oidc/login`);
  await otherPage.waitForURL((u) => u.pathname === '/login');
  await other.close();

  // A wrong client secret gets no token (and counts as a failed client authentication).
  const rightSecret = secret;
  secret = 'wrong-secret-wrong-secret-wrong-secret';
  await page.goto(`${rp.base}/oidc/login`);
  await page.getByText('Error exchanging token: 401 invalid_client').waitFor();
  secret = rightSecret;
  const denied = await admin.get('/api/v1/audit?type=oauth.token.denied');
  assert.ok(denied.body.items.some((e: { actor: { id: string } }) => e.actor.id === 'aether-status-page'));

  // An expired or forged sign-in step is a clear 400, never a redirect.
  const forged = await fetch(`${panel.url}/oauth2/interaction/not-a-real-one`, { redirect: 'manual' });
  assert.equal(forged.status, 400);
  assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'sign_in_expired');

  // Back to public: the sign-in endpoints are gone again; basic auth needs a valid variable name.
  assert.equal((await admin.put('/api/v1/settings/status-page', { kind: 'basic', username: 'ops', passwordBcryptBase64Env: 'lower-case' })).status, 400);
  assert.equal((await admin.put('/api/v1/settings/status-page', { kind: 'public' })).status, 200);
  assert.equal((await fetch(`${issuer}/.well-known/openid-configuration`)).status, 404);
  // An auditor sees the setting but may not change it.
  const auditor = await createUser(panel, admin, ['auditor']);
  assert.equal((await auditor.client.get('/api/v1/settings/status-page')).status, 200);
  assert.equal((await auditor.client.put('/api/v1/settings/status-page', { kind: 'panel' })).status, 403);
  assert.deepEqual(problems.csp, []);
  assert.deepEqual(problems.pageErrors, []);
});

test('sign-in through the panel needs the status page\'s address', async (t) => {
  const { panel, admin } = await panelWithAdmin();
  t.after(() => panel.close());
  const res = await admin.put('/api/v1/settings/status-page', { kind: 'panel' });
  assert.equal(res.status, 409);
  assert.equal(res.body.error.code, 'status_page_url_required');
  assert.deepEqual((await admin.get('/api/v1/settings/status-page')).body.access, { kind: 'public' });
});

test('the status page client\'s secret: from AETHER_GATUS_OIDC_SECRET when given, else a key file kept across starts', () => {
  const keys = mkdtempSync(join(tmpdir(), 'aether-oidc-secret-'));
  const made = statusPageSecret(keys, {});
  assert.match(made, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(statusPageSecret(keys, {}), made);
  assert.equal(statSync(join(keys, 'gatus-oidc.key')).mode & 0o777, 0o600);
  assert.equal(statusPageSecret(keys, { AETHER_GATUS_OIDC_SECRET: 'k'.repeat(64) }), 'k'.repeat(64));
  assert.throws(() => statusPageSecret(keys, { AETHER_GATUS_OIDC_SECRET: 'too-short' }), (err: unknown) => err instanceof ConfigError && /AETHER_GATUS_OIDC_SECRET/.test(err.message));
});
