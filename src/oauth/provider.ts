// oidc-provider set up for the client-credentials grant, with introspection and revocation, storing through our
// database; and, for one built-in client only (the status page, Gatus), OpenID Connect sign-in with the panel's own
// session (authorization code flow).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { errors, interactionPolicy, type Adapter, type ClientMetadata, type KoaContextWithOIDC } from 'oidc-provider';
import type { AuditService } from '../audit/index.ts';
import type { RateLimits } from '../auth/rate-limits.ts';
import type { UsersService } from '../auth/users.service.ts';
import { loadOrCreateKey, loadOrCreateSecretFile } from '../shared/key-file.ts';
import type { Logger } from '../shared/logger.ts';
import type { ArtifactStore } from './artifacts.store.ts';
import { STATUS_PAGE_CLIENT_ID } from '../gatus/status-access.ts';
import { clientSecretMatches, hashClientSecret, type ClientRecord, type ClientsService } from './clients.service.ts';
import { ownerHolds, parseClientScope } from './client-scopes.ts';

/** A refusal because of too many failed authentications: 429, in the OAuth error format. */
export class OAuthRateLimited extends errors.OIDCProviderError {
  override error_description = 'too many failed client authentications; try again later';
  constructor(readonly retryAfterMs: number) {
    super(429, 'rate_limited');
  }
}

/** Who asked, as the panel's first middleware resolved it (trusted proxies applied). */
export type OAuthCaller = { ip: string; userAgent: string | null };
export const callerOf = (ctx: { state: unknown }): OAuthCaller => {
  const state = ctx.state as { ip?: string; caller?: { userAgent?: string | null } };
  return { ip: state.ip ?? '0.0.0.0', userAgent: state.caller?.userAgent ?? null };
};

/** Where the provider sends a browser to sign in (the panel's own handler, below the OAuth2 prefix). */
export const OAUTH_INTERACTION_PATH = '/oauth2/interaction';

/** The status page's sign-in: whether it is on, where Gatus takes people back to, and the secret Gatus is given. */
export type StatusPageSignIn = { enabled(): Promise<boolean>; redirectUri: string | null; secret: string };

/**
 * The library's login and consent prompts, with one more login check first: a sign-in is always asked of the panel
 * (only a result the panel's handler just gave counts), never taken from the provider's own earlier session.
 */
function panelSessionPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check('panel_session', 'the panel\'s sign-in is asked every time', (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
    0,
  );
  return policy;
}

function signingKeys(keysDir: string): { keys: Array<Record<string, unknown>> } {
  // The provider needs a signing key even though the access tokens it issues are opaque; made on first start.
  const text = loadOrCreateSecretFile(keysDir, 'oauth-signing.jwk.json', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
    return `${JSON.stringify({ keys: [jwk] })}\n`;
  });
  return JSON.parse(text) as { keys: Array<Record<string, unknown>> };
}

export function createProvider(deps: {
  issuer: string;
  keysDir: string;
  store: ArtifactStore;
  clients: ClientsService;
  users: UsersService;
  limits: RateLimits;
  audit: AuditService;
  logger: Logger;
  defaultTokenTtl: number;
  statusPage: StatusPageSignIn;
}): Provider {
  const { store, clients, users, limits, audit } = deps;
  const statusPageSecretHash = hashClientSecret(deps.statusPage.secret);

  /** The status page's client, while the administrator has put the page behind the panel's sign-in. */
  async function statusPageClient(): Promise<ClientMetadata | undefined> {
    const { redirectUri } = deps.statusPage;
    if (!redirectUri || !(await deps.statusPage.enabled())) return undefined;
    return {
      client_id: STATUS_PAGE_CLIENT_ID,
      client_secret: statusPageSecretHash,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    };
  }

  /** The client as oidc-provider sees it: only while it and its owner are enabled; its secret is the stored hash. */
  async function clientMetadata(id: string): Promise<ClientMetadata | undefined> {
    if (id === STATUS_PAGE_CLIENT_ID) return statusPageClient();
    const record = await clients.record(id);
    if (!record || record.disabled) return undefined;
    const owner = await users.principal(record.ownerId);
    if (!owner || owner.row.disabled) return undefined;
    return {
      client_id: record.id,
      client_secret: record.secretHash,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    };
  }

  const clientAdapter = (): Adapter => ({
    find: clientMetadata,
    upsert: async () => undefined,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: async () => undefined,
    destroy: async () => undefined,
    revokeByGrantId: async () => undefined,
  });

  const provider = new Provider(deps.issuer, {
    adapter: (name: string) => (name === 'Client' ? clientAdapter() : store.adapter(name)),
    clients: [],
    jwks: signingKeys(deps.keysDir) as never,
    cookies: { keys: [loadOrCreateKey(deps.keysDir, 'oauth-cookies').toString('base64')] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    // Every sign-in of the status page goes through the panel's session (the interaction below): the provider's own
    // session never signs anyone in by itself, so signing out of the panel, or being disabled, takes effect at once.
    interactions: {
      url: (_ctx, interaction) => `${OAUTH_INTERACTION_PATH}/${interaction.uid}`,
      policy: panelSessionPolicy(),
    },
    ttl: { ClientCredentials: deps.defaultTokenTtl, AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 600, Grant: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // SECURITY: a client may only introspect and revoke its own tokens.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
    },
    // A code and token stand on their own (one minute, five minutes): what counts is the panel's session, asked at every
    // sign-in, not the provider's.
    expiresWithSession: async () => false,
    // The status page learns only who signed in (sub: the user's id).
    findAccount: async (_ctx, sub) => {
      const principal = await users.principal(sub);
      if (!principal || principal.row.disabled) return undefined;
      return { accountId: sub, claims: async () => ({ sub }) };
    },
    // Errors are JSON for every client, a browser included: no HTML page from the library.
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    routes: { authorization: '/auth', token: '/token', revocation: '/token/revocation', introspection: '/token/introspection', jwks: '/jwks' },
  });

  // SECURITY: the database holds only the SHA-256 of each client secret; this compares a presented secret with it in
  // constant time. A client blocked for too many failures is refused before its secret is looked at.
  (provider.Client.prototype as unknown as { compareClientSecret: (this: { clientId: string; clientSecret: string }, actual: string) => Promise<boolean> }).compareClientSecret =
    async function compareClientSecret(actual) {
      const wait = await limits.oauthFailuresPerClient.blockedFor(this.clientId);
      if (wait > 0) throw new OAuthRateLimited(wait);
      return clientSecretMatches(this.clientSecret, actual);
    };

  const denied = (ctx: KoaContextWithOIDC, record: ClientRecord, reason: string, details: Record<string, unknown> = {}) => clients.denied(record, callerOf(ctx), reason, details);

  // The client-credentials grant, in place of the library's own: the requested scopes must all be the client's and
  // still held by its owner (an unknown one is refused, not silently dropped), the address must be allowed, and the
  // lifetime is the client's.
  provider.registerGrantType(
    'client_credentials',
    async (ctx) => {
      const client = ctx.oidc.client!;
      const record = await clients.record(client.clientId);
      const owner = record ? await users.principal(record.ownerId) : null;
      if (!record || record.disabled || !owner || owner.row.disabled) throw new errors.InvalidClient('client is disabled');
      const caller = callerOf(ctx);
      if (!clients.ipAllowed(record, caller.ip)) {
        await denied(ctx, record, 'ip_not_allowed');
        throw new errors.UnauthorizedClient('this client may not request tokens from your address');
      }
      const param = ctx.oidc.params?.scope;
      const requested = typeof param === 'string' && param.trim() !== '' ? [...new Set(param.trim().split(/ +/))] : record.scopes;
      for (const scope of requested) {
        const held = (() => {
          try {
            return ownerHolds(owner, parseClientScope(scope));
          } catch {
            return false;
          }
        })();
        if (!record.scopes.includes(scope) || !held) {
          await denied(ctx, record, 'invalid_scope', { scope });
          throw new errors.InvalidScope('requested scope is not allowed', scope);
        }
      }
      const token = new provider.ClientCredentials({ client, scope: requested.join(' ') });
      // The client's own lifetime (the library reads it from here before its ttl setting).
      (token as unknown as { expiresIn: number }).expiresIn = record.tokenTtl;
      const value = await token.save();
      await clients.noteUse(record, caller.ip, 'token');
      await audit.record({
        type: 'oauth.token.issued',
        actor: { type: 'client', id: record.id, name: record.name },
        ip: caller.ip,
        userAgent: caller.userAgent,
        target: { type: 'oauth_client', id: record.id, name: record.name },
        outcome: 'success',
        details: { scope: requested, expiresIn: record.tokenTtl, ownerId: record.ownerId },
      });
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: record.tokenTtl, scope: requested.join(' ') };
    },
    'scope',
  );

  // Tokens revoked through the revocation endpoint (RFC 7009).
  provider.on('client_credentials.destroyed', (token: { clientId?: string }) => {
    const ctx = Provider.ctx;
    const caller = ctx ? callerOf(ctx) : { ip: null, userAgent: null };
    audit
      .record({
        type: 'oauth.token.revoked',
        actor: { type: 'client', id: token.clientId ?? null, name: null },
        ip: caller.ip,
        userAgent: caller.userAgent,
        target: { type: 'oauth_client', id: token.clientId ?? null, name: null },
        outcome: 'success',
        details: { reason: 'revocation_endpoint', tokens: 1 },
      })
      .catch((err: unknown) => deps.logger.error({ err }, 'audit of a token revocation failed'));
  });
  provider.on('server_error', (_ctx: unknown, err: unknown) => deps.logger.error({ err }, 'oauth2 endpoint failed'));

  return provider;
}
