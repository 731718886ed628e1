import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject } from 'vitest';
import { jwkOf, nowSeconds, signingKey, signJwt, verifiedPayload, type SigningKey } from './jwt.js';

/**
 * A stand-in for the two identity services a Teams bot meets, over HTTPS (the certificate from
 * global-setup, trusted through NODE_EXTRA_CA_CERTS):
 * - the Bot Connector's OpenID metadata and keys, whose tokens sign every activity Teams posts to the bot;
 * - Microsoft Entra ID's token endpoint, where the bot asks for its own token with its app ID and password
 *   (client credentials), per tenant, as MSAL does it: OpenID configuration first, then the token.
 * It checks what the real ones check and answers their errors in their shape (AADSTS codes).
 */
export interface AppRegistration {
  appId: string;
  password: string;
  /** The tenant the app is registered in. */
  tenant: string;
  /** A multi-tenant app also gets tokens from the Bot Framework's tenant. */
  multiTenant: boolean;
}

export interface TokenRequest {
  tenant: string;
  clientId: string;
  scope: string;
  status: number;
  error?: string;
}

export interface ChannelTokenOptions {
  /** `published` (default), `unknown` (a key the metadata never listed), `forged` (a listed kid, another key). */
  key?: 'published' | 'unknown' | 'forged' | 'none';
  /** Claims to set or, with undefined, to leave out. */
  claims?: Record<string, unknown>;
}

export interface IdentityProvider {
  url: string;
  /** `iss` of the channel's tokens (MICROSOFT_TOKEN_ISSUER). */
  channelIssuer: string;
  /** Audience of the bot's own tokens (MICROSOFT_OAUTH_SCOPE). */
  botScope: string;
  /** The tenant that signs for multi-tenant bots. */
  botFrameworkTenant: string;
  /** MICROSOFT_CLOUD=custom and its endpoints, pointing here. */
  cloudEnv(): Record<string, string>;
  /** A token as the Bot Connector signs it for an activity to `appId` from `serviceUrl`. */
  channelToken(appId: string, serviceUrl: string, options?: ChannelTokenOptions): string;
  /** The claims of a bot token this provider issued, if `authorization` carries a valid one for `appId`. */
  botTokenClaims(authorization: string | undefined, appId: string): Record<string, unknown> | undefined;
  tokenRequests: TokenRequest[];
  /** Requests for the channel's OpenID metadata and keys. */
  metadataRequests: string[];
  /** Lifetime of the tokens issued from now on, in seconds. */
  tokenLifetimeSeconds: number;
  close(): Promise<void>;
}

export const BOT_FRAMEWORK_TENANT = 'botframework.com';

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Entra ID's error shape: MSAL reads `error`, `error_description` and `error_codes`. */
function aadError(res: ServerResponse, status: number, error: string, code: number, description: string) {
  // Every answer has its own trace and correlation ids and time, in the description too, as Entra ID's do.
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString();
  json(res, status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

export async function startIdentityProvider(apps: AppRegistration[]): Promise<IdentityProvider> {
  const tls = inject('testTls');
  // Four distinct keys of the run's (test/support/global-setup.ts).
  const [channelPem, unknownPem, forgedPem, tokenPem] = inject('testSigningKeys');
  const channelKey = signingKey('channel-key-1', channelPem!);
  const unknownKey = signingKey('channel-key-unlisted', unknownPem!);
  const forgedKey: SigningKey = { ...signingKey('forged', forgedPem!), kid: channelKey.kid };
  const tokenKey = signingKey('entra-key-1', tokenPem!);
  const tenants = new Set([BOT_FRAMEWORK_TENANT, ...apps.map((a) => a.tenant)]);
  const tokenRequests: TokenRequest[] = [];
  const metadataRequests: string[] = [];
  let url = '';

  async function token(req: IncomingMessage, res: ServerResponse, tenant: string) {
    const form = await readForm(req);
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    const record: TokenRequest = { tenant, clientId, scope, status: 200 };
    tokenRequests.push(record);
    const refuse = (status: number, error: string, code: number, description: string) => {
      record.status = status;
      record.error = `AADSTS${code}`;
      aadError(res, status, error, code, description);
    };
    const app = apps.find((a) => a.appId === clientId);
    if (form.get('grant_type') !== 'client_credentials')
      return refuse(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    if (!tenants.has(tenant)) return refuse(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (!app || !(app.tenant === tenant || (app.multiTenant && tenant === BOT_FRAMEWORK_TENANT)))
      return refuse(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    if (form.get('client_secret') !== app.password)
      return refuse(401, 'invalid_client', 7000215, `Invalid client secret provided for app '${clientId}'.`);
    if (scope !== `${provider.botScope}/.default`)
      return refuse(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${scope.replace(/\/\.default$/, '')} was not found in the tenant named ${tenant}.`,
      );
    const now = nowSeconds();
    const lifetime = provider.tokenLifetimeSeconds;
    const accessToken = signJwt(
      {
        aud: provider.botScope,
        iss: `${url}/${tenant}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        appid: clientId,
        tid: tenant,
        ver: '1.0',
      },
      tokenKey,
    );
    json(res, 200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    });
  }

  function tenantConfiguration(res: ServerResponse, tenant: string) {
    if (!tenants.has(tenant)) {
      aadError(res, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
      return;
    }
    json(res, 200, {
      issuer: `${url}/${tenant}/v2.0`,
      authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${url}/${tenant}/oauth2/v2.0/token`,
      end_session_endpoint: `${url}/${tenant}/oauth2/v2.0/logout`,
      jwks_uri: `${url}/${tenant}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      response_types_supported: ['code', 'id_token', 'token'],
    });
  }

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://stand-in').pathname;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const handled = (async () => {
      if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
        metadataRequests.push(path);
        return json(res, 200, {
          issuer: provider.channelIssuer,
          authorization_endpoint: `${url}/v1/authorize`,
          jwks_uri: `${url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (req.method === 'GET' && path === '/v1/.well-known/keys') {
        metadataRequests.push(path);
        return json(res, 200, { keys: [jwkOf(channelKey, ['msteams'])] });
      }
      const [tenant, ...rest] = segments;
      const tail = rest.join('/');
      if (tenant && req.method === 'GET' && tail === 'v2.0/.well-known/openid-configuration')
        return tenantConfiguration(res, tenant);
      if (tenant && req.method === 'GET' && tail === 'discovery/v2.0/keys')
        return json(res, 200, { keys: [jwkOf(tokenKey)] });
      if (tenant && req.method === 'POST' && tail === 'oauth2/v2.0/token') return token(req, res, tenant);
      json(res, 404, { error: 'not_found', error_description: path });
    })();
    handled.catch((err: unknown) =>
      json(res, 500, { error: 'server_error', error_description: String(err) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const provider: IdentityProvider = {
    url,
    channelIssuer: 'https://api.botframework.test',
    botScope: 'https://api.botframework.test',
    botFrameworkTenant: BOT_FRAMEWORK_TENANT,
    tokenRequests,
    metadataRequests,
    tokenLifetimeSeconds: 3600,
    cloudEnv: () => ({
      MICROSOFT_CLOUD: 'custom',
      MICROSOFT_OPENID_METADATA_URL: `${url}/v1/.well-known/openidconfiguration`,
      MICROSOFT_TOKEN_ISSUER: provider.channelIssuer,
      MICROSOFT_LOGIN_URL: `${url}/${BOT_FRAMEWORK_TENANT}`,
      MICROSOFT_OAUTH_SCOPE: provider.botScope,
      MICROSOFT_VALIDATE_AUTHORITY: 'false',
    }),
    channelToken(appId, serviceUrl, options = {}) {
      const now = nowSeconds();
      const claims: Record<string, unknown> = {
        serviceurl: serviceUrl,
        nbf: now - 5,
        exp: now + 3600,
        iss: provider.channelIssuer,
        aud: appId,
      };
      for (const [name, value] of Object.entries(options.claims ?? {})) {
        if (value === undefined) delete claims[name];
        else claims[name] = value;
      }
      const key = { published: channelKey, unknown: unknownKey, forged: forgedKey, none: null }[
        options.key ?? 'published'
      ];
      return signJwt(claims, key);
    },
    botTokenClaims(authorization, appId) {
      const match = /^Bearer (\S+)$/.exec(authorization ?? '');
      const claims = match ? verifiedPayload(match[1]!, tokenKey.publicKey) : undefined;
      if (!claims) return undefined;
      const fresh = typeof claims.exp === 'number' && claims.exp > nowSeconds();
      return fresh && claims.aud === provider.botScope && claims.appid === appId ? claims : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return provider;
}
