// OAuth2 helpers for tests: token requests with either client authentication method, and bearer API calls.
import { TestClient, type Res } from './client.ts';

export type ClientCredentials = { clientId: string; clientSecret: string };

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** POST to an /oauth2 endpoint with the client's credentials in the Basic header (default) or in the body. */
export function oauthPost(base: string, path: string, creds: ClientCredentials, form: Record<string, string>, opts: { method?: 'basic' | 'post'; localAddress?: string } = {}): Promise<Res> {
  const client = new TestClient(base, { origin: null, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
  const params = new URLSearchParams(form);
  const headers: Record<string, string> = { ...FORM };
  if ((opts.method ?? 'basic') === 'basic') {
    headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(creds.clientId)}:${encodeURIComponent(creds.clientSecret)}`).toString('base64')}`;
  } else {
    params.set('client_id', creds.clientId);
    params.set('client_secret', creds.clientSecret);
  }
  return client.raw('POST', `/oauth2${path}`, { body: params.toString(), headers });
}

export const requestToken = (base: string, creds: ClientCredentials, opts: { method?: 'basic' | 'post'; scope?: string; localAddress?: string } = {}) =>
  oauthPost(base, '/token', creds, { grant_type: 'client_credentials', ...(opts.scope !== undefined ? { scope: opts.scope } : {}) }, opts);

/** An API call with a bearer token, from a chosen source address. */
export function bearer(base: string, token: string, method: string, path: string, body?: unknown, localAddress?: string): Promise<Res> {
  const client = new TestClient(base, { origin: null, ...(localAddress ? { localAddress } : {}) });
  return client.json(method, path, body, { Authorization: `Bearer ${token}` });
}
