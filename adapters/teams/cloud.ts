import type { Config } from '../../src/config.js';

/**
 * Where a Bot Framework cloud signs the tokens Teams sends the bot, and where the bot gets its own.
 * `public` and `usgov` are Microsoft's published values (the same the Bot Framework SDK ships);
 * `custom` reads them from MICROSOFT_* variables, for sovereign and private clouds.
 */
export interface TeamsCloud {
  name: Config['MICROSOFT_CLOUD'];
  /** OpenID metadata whose keys sign the channel's tokens (ToBotFromChannelOpenIdMetadataUrl). */
  openIdMetadataUrl: string;
  /** The `iss` of the channel's tokens (ToBotFromChannelTokenIssuer). */
  tokenIssuer: string;
  /** The authority the bot asks for its own token, with the tenant that signs for multi-tenant bots. */
  loginUrl: string;
  /** The audience of the bot's own token (ToChannelFromBotOAuthScope). */
  oauthScope: string;
  /** false: trust `loginUrl` as given instead of asking Microsoft's instance discovery about it. */
  validateAuthority: boolean;
  /** `activity.callerId` on authenticated activities. */
  callerId?: string;
  /** Bot Framework token service (user sign-in), unused by this bot but part of a cloud's settings. */
  oauthApiUrl?: string;
}

const PUBLIC: TeamsCloud = {
  name: 'public',
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.com',
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  oauthScope: 'https://api.botframework.com',
  validateAuthority: true,
  callerId: 'urn:botframework:azure',
  oauthApiUrl: 'https://api.botframework.com',
};

const US_GOVERNMENT: TeamsCloud = {
  name: 'usgov',
  openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.us',
  loginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
  oauthScope: 'https://api.botframework.us',
  validateAuthority: true,
  callerId: 'urn:botframework:azureusgov',
  oauthApiUrl: 'https://api.botframework.azure.us',
};

export function teamsCloud(config: Config): TeamsCloud {
  if (config.MICROSOFT_CLOUD === 'public') return PUBLIC;
  if (config.MICROSOFT_CLOUD === 'usgov') return US_GOVERNMENT;
  const required = (name: keyof Config): string => {
    const value = config[name];
    // loadConfig refuses a custom cloud without them; this guards a Config built some other way.
    if (typeof value !== 'string' || value === '')
      throw new Error(`${name}: missing (MICROSOFT_CLOUD=custom)`);
    return value;
  };
  return {
    name: 'custom',
    openIdMetadataUrl: required('MICROSOFT_OPENID_METADATA_URL'),
    tokenIssuer: required('MICROSOFT_TOKEN_ISSUER'),
    loginUrl: required('MICROSOFT_LOGIN_URL'),
    oauthScope: required('MICROSOFT_OAUTH_SCOPE'),
    validateAuthority: config.MICROSOFT_VALIDATE_AUTHORITY,
  };
}

/** The tenant a single-tenant app is bound to; undefined for a multi-tenant one. */
export function singleTenantOf(config: Config): string | undefined {
  return config.MICROSOFT_APP_TYPE === 'SingleTenant' ? config.MICROSOFT_APP_TENANT_ID : undefined;
}

/** Told at start and by `doctor`: a multi-tenant app that names no tenant serves whoever installs it. */
export const MULTI_TENANT_WARNING =
  'TEAMS_TENANTS is not set, so people of every tenant that installs the app are served and linked to the inventory by the e-mail their own directory gives';

/**
 * The tenants whose people the bot serves: those TEAMS_TENANTS lists, and a single-tenant app's own. None
 * listed: every tenant the app is installed in (a multi-tenant app; the bot warns at start and in `doctor`).
 */
export function servedTenants(config: Config): string[] {
  const own = singleTenantOf(config)?.toLowerCase();
  return [...new Set([...config.TEAMS_TENANTS, ...(own ? [own] : [])])];
}

/**
 * The authority the bot asks for its token: the cloud's login URL, whose last path segment is the tenant.
 * A multi-tenant bot asks the tenant that signs for the Bot Framework; a single-tenant one its own.
 */
export function tokenAuthority(cloud: TeamsCloud, config: Config): string {
  const tenant = singleTenantOf(config);
  const url = new URL(cloud.loginUrl);
  if (tenant) {
    const segments = url.pathname.split('/').filter(Boolean);
    segments[Math.max(0, segments.length - 1)] = encodeURIComponent(tenant);
    url.pathname = `/${segments.join('/')}`;
  }
  return url.toString().replace(/\/$/, '');
}
