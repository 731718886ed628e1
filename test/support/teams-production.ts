import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { startBotConnector } from './bot-connector.js';
import type { Driver } from './db.js';
import { startIdentityProvider, type AppRegistration, type IdentityProvider } from './identity-provider.js';
import {
  COMPLIANCE_CONVERSATION,
  startBot,
  teamsClient,
  TENANT,
  type TeamsUser,
  type TeamsWorld,
} from './teams.js';
import { seededDatabase } from './world.js';

/** The bot's registration as the identity provider knows it (an app ID is a GUID; the password is not real). */
export const APP: AppRegistration = {
  appId: '5f0c3e9a-1b2d-4c6e-8f10-2a3b4c5d6e7f',
  password: 'test-only-app-password-0001',
  tenant: TENANT,
  multiTenant: true,
};

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A logger whose entries the test reads (pino's own JSON lines, parsed). */
export function capturingLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => entries.push(JSON.parse(line) as LogEntry) },
  );
  return { logger, entries };
}

/**
 * Production settings: an app ID and password, the cloud's endpoints at the identity provider, and no
 * TEAMS_ALLOW_UNAUTHENTICATED.
 */
export function productionConfig(
  idp: IdentityProvider,
  app: { appId: string; password: string },
  env: Record<string, string> = {},
): Config {
  const loaded = loadConfig({
    MICROSOFT_APP_ID: app.appId,
    MICROSOFT_APP_PASSWORD: app.password,
    ...idp.cloudEnv(),
    TEAMS_COMPLIANCE_CONVERSATION_ID: COMPLIANCE_CONVERSATION,
    LOG_LEVEL: 'debug',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return loaded.config;
}

/** A message `user` types in their one-to-one chat with the bot, as Teams posts it from `tenant`. */
export function personalMessage(
  world: Pick<ProductionTeamsWorld, 'connector'>,
  user: { id: string; name: string; chat: string },
  tenant: string,
  text: string,
): Record<string, unknown> {
  return {
    type: 'message',
    channelId: 'msteams',
    serviceUrl: world.connector.serviceUrl,
    from: { id: user.id, name: user.name },
    recipient: { id: '28:transfer-bot' },
    conversation: { id: user.chat, conversationType: 'personal', tenantId: tenant },
    channelData: { tenant: { id: tenant } },
    text,
  };
}

/** A production world's bot is not restarted: no suite needs it. */
export interface ProductionTeamsWorld extends Omit<TeamsWorld, 'restart'> {
  idp: IdentityProvider;
  logs: LogEntry[];
}

export interface ProductionWorldOptions {
  /** Every app the identity provider knows (default: APP alone). */
  registrations?: AppRegistration[];
  /** What the bot is started with (default: APP's ID and password). */
  credentials?: { appId: string; password: string };
  env?: Record<string, string>;
}

/**
 * A seeded database, the identity provider, a Bot Connector that refuses any call without a token the
 * identity provider gave this app, and the bot in production mode; the client signs every activity
 * with a channel token for its service URL.
 */
export async function startProductionTeamsWorld(
  driver: Driver,
  people: TeamsUser[],
  options: ProductionWorldOptions = {},
): Promise<ProductionTeamsWorld> {
  const credentials = options.credentials ?? APP;
  const idp = await startIdentityProvider(options.registrations ?? [APP]);
  const { database, deps } = await seededDatabase(driver);
  const connector = await startBotConnector({
    authorize: (authorization) => idp.botTokenClaims(authorization, credentials.appId) !== undefined,
  });
  for (const u of people) connector.roster.set(u.id, { id: u.id, name: u.name, email: u.email });
  const { logger, entries } = capturingLogger();
  const bot = await startBot(deps, productionConfig(idp, credentials, options.env), logger);
  const teams = teamsClient(
    bot,
    connector,
    (activity) => `Bearer ${idp.channelToken(credentials.appId, activity.serviceUrl ?? '')}`,
  );
  return {
    database,
    deps,
    connector,
    bot,
    teams,
    idp,
    logs: entries,
    async close() {
      await bot.close();
      await connector.close();
      await idp.close();
      await database.dispose();
    },
  };
}
