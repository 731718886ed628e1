import { AuthError, ConfidentialClientApplication } from '@azure/msal-node';
import type { Logger } from 'pino';
import type { Config } from '../../src/config.js';
import { tokenAuthority, type TeamsCloud } from './cloud.js';

/**
 * The bot's own token (client credentials: app ID and password through MSAL), sent as the bearer of every
 * call to the Bot Connector: replies, proactive messages, card updates, new chats, roster lookups.
 *
 * Why not the SDK's own credentials: botbuilder 4.23 builds its MSAL client with the authority alone, so
 * MSAL asks Microsoft's instance discovery about a private cloud's login host and cannot resolve it,
 * whatever `ValidateAuthority` says; it drops a single-tenant bot's tenant for any login URL but
 * Microsoft's; concurrent calls each fetch a token of their own; and a refused password surfaces as an
 * anonymous error on every message.
 */
export interface BotTokenSettings {
  appId: string;
  password: string;
  /** `https://login…/{tenant}`: where the token is asked for. */
  authority: string;
  /** false: trust the authority's host as given (MSAL's `knownAuthorities`), no instance discovery. */
  validateAuthority: boolean;
}

export function botTokenSettings(config: Config, cloud: TeamsCloud): BotTokenSettings {
  return {
    appId: config.MICROSOFT_APP_ID ?? '',
    password: config.MICROSOFT_APP_PASSWORD ?? '',
    authority: tokenAuthority(cloud, config),
    validateAuthority: cloud.validateAuthority,
  };
}

/** The bot could not get its token: no HTTP status, so the delivery worker retries rather than gives up. */
export class BotCredentialsError extends Error {
  constructor(
    message: string,
    readonly refusal: IdentityProviderRefusal,
  ) {
    super(message);
    this.name = 'BotCredentialsError';
  }
}

/** What the identity provider answered (or what kept the bot from asking it). */
export interface IdentityProviderRefusal {
  error: string;
  description: string;
}

export interface BotTokens {
  /** A token for `scope`: the same one until it nears expiry, one request at a time per scope. */
  token(scope: string): Promise<string>;
}

/** A token is replaced this long before it expires (at most half its lifetime), as MSAL and the SDK do. */
const RENEW_BEFORE_MS = 5 * 60_000;
const MAX_DESCRIPTION = 500;

function clientFor(settings: BotTokenSettings): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: settings.appId,
      clientSecret: settings.password,
      authority: settings.authority,
      knownAuthorities: settings.validateAuthority ? [] : [new URL(settings.authority).host],
    },
  });
}

function scopeOf(audience: string): string {
  return audience.endsWith('/.default') ? audience : `${audience.replace(/\/$/, '')}/.default`;
}

/** MSAL's message carries timestamps and trace ids; the description is what an operator acts on. */
function refusalOf(err: unknown): IdentityProviderRefusal {
  if (err instanceof AuthError) {
    const message = err.errorMessage ?? '';
    const described = / - Description: ([\s\S]*?) - Correlation ID:/.exec(message)?.[1] ?? message;
    return { error: err.errorCode || err.name, description: described.trim().slice(0, MAX_DESCRIPTION) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { error: 'request_failed', description: message.slice(0, MAX_DESCRIPTION) };
}

/**
 * MSAL reads the authority's OpenID configuration first and, when that fails, says only that it could not
 * resolve endpoints; the identity provider's own answer (an unknown tenant, say) is what the operator needs.
 */
async function explainUnresolvedAuthority(authority: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${authority}/v2.0/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json().catch(() => undefined)) as
      { error_description?: unknown } | undefined;
    if (typeof body?.error_description === 'string') return body.error_description;
    return `its OpenID configuration answered HTTP ${response.status}`;
  } catch (err) {
    return `its OpenID configuration cannot be read: ${(err as Error).message}`;
  }
}

/** A new token, never from a cache: what `transfer-bot doctor` and the token cache below both call. */
export async function requestBotToken(
  settings: BotTokenSettings,
  audience: string,
  client: ConfidentialClientApplication = clientFor(settings),
): Promise<{ accessToken: string; expiresOn: Date }> {
  let result;
  try {
    result = await client.acquireTokenByClientCredential({ scopes: [scopeOf(audience)], skipCache: true });
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal.error === 'endpoints_resolution_error') {
      const explained = await explainUnresolvedAuthority(settings.authority);
      if (explained) refusal.description = explained.slice(0, MAX_DESCRIPTION);
    }
    throw new BotCredentialsError(
      `the identity provider at ${settings.authority} refused app ${settings.appId}: ${refusal.error}: ${refusal.description}`,
      refusal,
    );
  }
  if (!result?.accessToken || !result.expiresOn) {
    const refusal = { error: 'no_token', description: 'the identity provider answered without a token' };
    throw new BotCredentialsError(`${settings.authority}: ${refusal.description}`, refusal);
  }
  return { accessToken: result.accessToken, expiresOn: result.expiresOn };
}

export function createBotTokens(settings: BotTokenSettings, logger: Logger): BotTokens {
  const client = clientFor(settings);
  const cached = new Map<string, { accessToken: string; renewAt: number }>();
  const inFlight = new Map<string, Promise<string>>();
  // Each distinct refusal is logged once, not on every message that fails because of it; a success
  // clears the memory so that the next trouble is logged again.
  let reported: string | undefined;

  async function fetchToken(audience: string): Promise<string> {
    try {
      const { accessToken, expiresOn } = await requestBotToken(settings, audience, client);
      const now = Date.now();
      const lifetime = Math.max(0, expiresOn.getTime() - now);
      cached.set(audience, {
        accessToken,
        renewAt: now + lifetime - Math.min(RENEW_BEFORE_MS, lifetime / 2),
      });
      if (reported !== undefined)
        logger.info({ appId: settings.appId }, 'teams: the bot has its token again');
      reported = undefined;
      return accessToken;
    } catch (err) {
      if (err instanceof BotCredentialsError) {
        // Entra ID's descriptions end with a trace id and a timestamp of their own: the AADSTS code is the cause.
        const cause = /AADSTS\d+/.exec(err.refusal.description)?.[0] ?? err.refusal.description;
        const key = `${err.refusal.error}\n${cause}`;
        if (key !== reported) {
          reported = key;
          logger.error(
            {
              appId: settings.appId,
              authority: settings.authority,
              scope: scopeOf(audience),
              error: err.refusal.error,
              description: err.refusal.description,
            },
            'teams: the identity provider refused the bot its token; nothing reaches Teams until MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID and the cloud settings agree with the app registration',
          );
        }
      }
      throw err;
    }
  }

  return {
    async token(audience) {
      const entry = cached.get(audience);
      if (entry && Date.now() < entry.renewAt) return entry.accessToken;
      let pending = inFlight.get(audience);
      if (!pending) {
        pending = fetchToken(audience).finally(() => inFlight.delete(audience));
        inFlight.set(audience, pending);
      }
      return pending;
    },
  };
}

/** What the SDK's connector client hands its credentials to sign. */
interface SignableRequest {
  headers: { set(name: string, value: string): void };
}

/**
 * The SDK's credentials factory (botframework-connector's ServiceClientCredentialsFactory, by shape):
 * every outgoing call is signed with the token for the audience the SDK names, else the cloud's scope.
 */
export function botCredentials(settings: BotTokenSettings, defaultScope: string, logger: Logger) {
  const tokens = createBotTokens(settings, logger);
  return {
    isValidAppId: async (appId: string) => appId === settings.appId,
    isAuthenticationDisabled: async () => false,
    async createCredentials(appId: string, audience: string | undefined) {
      if (appId !== settings.appId) throw new Error('teams: credentials asked for another app ID');
      const scope = audience || defaultScope;
      return {
        async signRequest<Signed extends SignableRequest>(request: Signed): Promise<Signed> {
          request.headers.set('authorization', `Bearer ${await tokens.token(scope)}`);
          return request;
        },
      };
    },
  };
}
