import type { Config } from '../../src/config.js';
import { BotCredentialsError, botTokenSettings, requestBotToken } from './bot-token.js';
import { teamsCloud } from './cloud.js';

export interface CredentialsCheck {
  ok: boolean;
  /** One line an operator can act on: what was asked of whom, and what the identity provider said. */
  detail: string;
}

/**
 * Asks the identity provider for a token with the configured app ID and password, as the bot does before
 * it sends anything to Teams (for `transfer-bot doctor`). Never from a cache: this is the live answer.
 */
export async function checkTeamsCredentials(config: Config): Promise<CredentialsCheck> {
  if (!config.MICROSOFT_APP_ID) {
    return {
      ok: false,
      detail: 'MICROSOFT_APP_ID is not set: Teams needs the bot registration’s app ID and password',
    };
  }
  if (config.MICROSOFT_APP_TYPE === 'UserAssignedMSI') {
    return {
      ok: true,
      detail: `app ${config.MICROSOFT_APP_ID} uses a managed identity: its token comes from the Azure host at run time and is not checked here`,
    };
  }
  const cloud = teamsCloud(config);
  const settings = botTokenSettings(config, cloud);
  try {
    const { expiresOn } = await requestBotToken(settings, cloud.oauthScope);
    const minutes = Math.round((expiresOn.getTime() - Date.now()) / 60_000);
    return {
      ok: true,
      detail: `app ${settings.appId} obtained a token from ${settings.authority} for ${cloud.oauthScope} (valid ${minutes} min)`,
    };
  } catch (err) {
    if (err instanceof BotCredentialsError) return { ok: false, detail: err.message };
    return { ok: false, detail: `app ${settings.appId}: ${(err as Error).message}` };
  }
}
