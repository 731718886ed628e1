import type { Request, Response } from 'express';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsInfo,
  type Activity as BfActivity,
  type ConversationReference,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../../src/config.js';
import type { ConversationRef } from './activity.js';
import { BotCredentialsError, botCredentials, botTokenSettings } from './bot-token.js';
import { createAdmission, Refused, screenChannelToken, tenantRefusal } from './inbound-auth.js';
import { MULTI_TENANT_WARNING, servedTenants, singleTenantOf, teamsCloud, type TeamsCloud } from './cloud.js';
import type { OutgoingMessage } from './render/reply.js';

/**
 * The one file that knows the Bot Framework SDK (botbuilder, archived upstream): everything else in
 * adapters/teams speaks plain JSON through these interfaces, so the SDK can be replaced here alone.
 */
export interface InboundTurn {
  /** The activity exactly as received (parsed by activity.ts before use). */
  readonly raw: unknown;
  send(message: OutgoingMessage): Promise<string | undefined>;
  /** The HTTP answer to an invoke (`adaptiveCard/action`, `task/fetch` …). */
  respond(body: unknown, status?: number): Promise<void>;
  /** The e-mail of a member of this conversation, from the Teams roster. */
  memberEmail(userId: string): Promise<string | undefined>;
}

export interface ProactiveTurn {
  send(message: OutgoingMessage): Promise<string | undefined>;
  update(activityId: string, message: OutgoingMessage): Promise<void>;
  /** The e-mail of a member of this conversation, from the Teams roster. */
  memberEmail(userId: string): Promise<string | undefined>;
}

export interface BotFramework {
  /** Authenticates and runs one `POST /api/messages`; 401 without a valid Bot Framework token. */
  handle(req: Request, res: Response, turn: (t: InboundTurn) => Promise<void>): Promise<void>;
  /**
   * Acts in a stored conversation, outside any incoming request. Failures surface at once (no SDK
   * retries). With `replyTo`, messages are sent as replies to that activity (a channel thread stays one).
   */
  continueConversation<T>(
    ref: ConversationRef,
    fn: (t: ProactiveTurn) => Promise<T>,
    options?: { replyTo?: string },
  ): Promise<T>;
  /** Opens (or finds) the one-to-one chat with a user of a tenant where the app is installed. */
  createPersonalConversation(p: {
    serviceUrl: string;
    tenantId: string;
    botId: string;
    userId: string;
  }): Promise<ConversationRef>;
}

type Authenticated = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * Teams is enabled with an app ID, or for local testing with TEAMS_ALLOW_UNAUTHENTICATED=true. The cloud's
 * endpoints go to the SDK as its own settings (as sovereign clouds configure it), so it validates the
 * channel's tokens against that cloud's OpenID metadata and issuer.
 */
function authentication(
  config: Config,
  cloud: TeamsCloud,
  logger: Logger,
): ConfigurationBotFrameworkAuthentication {
  if (config.MICROSOFT_APP_ID) {
    if (
      config.MICROSOFT_APP_TENANT_ID &&
      !singleTenantOf(config) &&
      config.MICROSOFT_APP_TYPE !== 'UserAssignedMSI'
    )
      logger.warn(
        'MICROSOFT_APP_TENANT_ID is set but MICROSOFT_APP_TYPE is not SingleTenant: the bot asks the Bot Framework tenant for its token, not yours',
      );
    return new ConfigurationBotFrameworkAuthentication(
      {
        MicrosoftAppId: config.MICROSOFT_APP_ID,
        MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
        MicrosoftAppType: config.MICROSOFT_APP_TYPE ?? 'MultiTenant',
        MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
        ToBotFromChannelOpenIdMetadataUrl: cloud.openIdMetadataUrl,
        ToBotFromChannelTokenIssuer: cloud.tokenIssuer,
        // Emulator and skill tokens never get this far (screenChannelToken); the channel's metadata stands
        // in so that the SDK never looks for keys elsewhere.
        ToBotFromEmulatorOpenIdMetadataUrl: cloud.openIdMetadataUrl,
        ToChannelFromBotLoginUrl: cloud.loginUrl,
        ToChannelFromBotOAuthScope: cloud.oauthScope,
        ValidateAuthority: cloud.validateAuthority,
        ...(cloud.callerId ? { CallerId: cloud.callerId } : {}),
        ...(cloud.oauthApiUrl ? { OAuthUrl: cloud.oauthApiUrl } : {}),
      },
      // A managed identity keeps the SDK's own credentials (no password to ask a token with).
      config.MICROSOFT_APP_TYPE === 'UserAssignedMSI'
        ? undefined
        : botCredentials(botTokenSettings(config, cloud), cloud.oauthScope, logger),
    );
  }
  if (!config.TEAMS_ALLOW_UNAUTHENTICATED) {
    throw new Error('Teams needs MICROSOFT_APP_ID (or TEAMS_ALLOW_UNAUTHENTICATED=true for local testing)');
  }
  logger.warn(
    'TEAMS_ALLOW_UNAUTHENTICATED=true and no MICROSOFT_APP_ID: /api/messages accepts ANY request without a token, and the bot sends none. For local testing only — never expose this server.',
  );
  return new ConfigurationBotFrameworkAuthentication({});
}

/** The SDK's adapter, with its turn pipeline reachable for a request this file has authenticated. */
class TeamsCloudAdapter extends CloudAdapter {
  runAuthenticated(
    authenticated: Authenticated,
    activity: BfActivity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

function toActivity(message: OutgoingMessage): Partial<BfActivity> {
  return { ...message };
}

function toReference(ref: ConversationRef): Partial<ConversationReference> {
  return { ...ref } as Partial<ConversationReference>;
}

// The SDK's pipeline retries 429 and 5xx for up to ~20 s inside the call. The delivery worker owns
// retries and backoff (it must not block on one person), so proactive calls fail fast instead.
function withoutRetries(adapter: CloudAdapter, context: TurnContext): void {
  const client = context.turnState.get<
    { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } } | undefined
  >(adapter.ConnectorClientKey);
  client?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
}

export function createBotFramework(config: Config, logger: Logger): BotFramework {
  const cloud = teamsCloud(config);
  const auth = authentication(config, cloud, logger);
  const adapter = new TeamsCloudAdapter(auth);
  const appId = config.MICROSOFT_APP_ID ?? '';
  const tenants = servedTenants(config);
  if (appId && tenants.length === 0 && config.MICROSOFT_APP_TYPE !== 'UserAssignedMSI')
    logger.warn(`teams: ${MULTI_TENANT_WARNING}`);

  /** The SDK's validation, with the channel-only screens before it and the tenant check after it. */
  const admit = createAdmission(async (activity, authorization): Promise<Authenticated> => {
    if (appId) {
      // Only Teams speaks for a Teams user: the Bot Framework signs for other channels too (Web Chat,
      // Direct Line), whose clients choose the sender's id.
      if (activity.channelId !== 'msteams') throw new Refused('not the Teams channel');
      const screened = screenChannelToken(authorization, cloud.tokenIssuer);
      if (screened) throw new Refused(screened);
    }
    const authenticated = await auth.authenticateRequest(activity as unknown as BfActivity, authorization);
    if (tenants.length > 0) {
      const tid = authenticated.claimsIdentity.getClaimValue('tid') ?? undefined;
      const refused = tenantRefusal(activity, tid, tenants);
      if (refused) throw new Refused(refused);
    }
    return authenticated;
  }, logger);
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityType: context.activity.type }, 'teams: turn failed');
  };

  const memberEmail = async (context: TurnContext, userId: string) => {
    try {
      const member = await TeamsInfo.getMember(context, userId);
      return member.email ?? member.userPrincipalName ?? undefined;
    } catch (err) {
      if (err instanceof BotCredentialsError)
        logger.debug({ err: err.message }, 'teams: roster lookup dropped (no bot token)');
      else logger.warn({ err }, 'teams: roster lookup failed');
      return undefined;
    }
  };

  const proactive = (context: TurnContext): ProactiveTurn => ({
    memberEmail: (userId) => memberEmail(context, userId),
    send: async (message) => (await context.sendActivity(toActivity(message)))?.id,
    update: async (activityId, message) => {
      await context.updateActivity({
        ...toActivity(message),
        id: activityId,
        conversation: context.activity.conversation,
      });
    },
  });

  // Without its token the bot reaches nobody (see replyWithoutTokenDropped); bot-token.ts has told the operator once, so a reply or a
  // roster lookup that fails for that reason is dropped quietly rather than logged on every message.
  const inbound = (context: TurnContext): InboundTurn => ({
    raw: context.activity,
    send: (message) =>
      replyWithoutTokenDropped(logger, async () => (await context.sendActivity(toActivity(message)))?.id),
    respond: async (body, status = 200) => {
      await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
    },
    memberEmail: (userId) => memberEmail(context, userId),
  });

  return {
    async handle(req, res, turn) {
      const request = await admit(req, res);
      if (!request) return;
      const activity = request.activity as unknown as BfActivity;
      const answer = await adapter.runAuthenticated(request.authenticated, activity, (context) =>
        turn(inbound(context)),
      );
      res.status(answer?.status ?? 200);
      if (answer?.body) res.send(answer.body);
      else res.end();
    },

    async continueConversation(ref, fn, options = {}) {
      let result: { value: Awaited<ReturnType<typeof fn>> } | undefined;
      let failure: { error: unknown } | undefined;
      await adapter.continueConversationAsync(appId, toReference(ref), async (context) => {
        withoutRetries(adapter, context);
        // The SDK gives its continuation event a random id and would send everything as a reply to that
        // non-existent message; a proactive message is a new one, or the answer to a message received.
        context.activity.id = options.replyTo;
        // Caught here, or the adapter's onTurnError would swallow it: the caller must see the HTTP status.
        try {
          result = { value: await fn(proactive(context)) };
        } catch (error) {
          failure = { error };
        }
      });
      if (failure) throw failure.error;
      if (!result) throw new Error('teams: proactive turn did not run');
      return result.value;
    },

    async createPersonalConversation({ serviceUrl, tenantId, botId, userId }) {
      let created: ConversationRef | undefined;
      await adapter.createConversationAsync(
        appId,
        'msteams',
        serviceUrl,
        // No audience: the SDK then uses its configured cloud's default ("" would be sent as the scope).
        undefined as unknown as string,
        {
          isGroup: false,
          bot: { id: botId, name: '' },
          members: [{ id: userId, name: '' }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        },
        async (context) => {
          created = {
            channelId: 'msteams',
            serviceUrl,
            conversation: { id: context.activity.conversation.id, conversationType: 'personal', tenantId },
            bot: { id: botId },
            user: { id: userId },
          };
        },
      );
      if (!created) throw new Error('teams: conversation was not created');
      return created;
    },
  };
}

/**
 * A reply to what a person sent. Without its token the bot reaches nobody; bot-token.ts has told the
 * operator once, so a reply that fails for that reason is dropped quietly rather than logged each time.
 */
export async function replyWithoutTokenDropped<T>(
  logger: Logger,
  send: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof BotCredentialsError)) throw err;
    logger.debug({ err: err.message }, 'teams: reply dropped (no bot token)');
    return undefined;
  }
}
