import type { Logger } from 'pino';
import { z } from 'zod';
import type { DecisionCardView } from '../../src/app/cards.js';
import { COMPLIANCE_CHANNEL } from '../../src/app/notifications.js';
import { notePlatformLocale } from '../../src/app/platform-locale.js';
import {
  cardLocationOf,
  deliveryCall,
  DeliveryError,
  type Address,
  type CardLocation,
  type MessageContent,
  type PlatformContact,
  type PlatformSender,
} from '../../src/app/delivery-port.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { CardCopy } from '../../src/app/ports/outbox.js';
import type { UserRow } from '../../src/app/ports/users.js';
import type { Config } from '../../src/config.js';
import { tr, type Msg, type Reader } from '../../src/i18n/index.js';
import type { Activity, ConversationRef } from './activity.js';
import { deciderTeamsIds } from './deciders.js';
import { toDeliveryError } from './errors.js';
import type { FileOffers } from './files.js';
import type { BotFramework } from './framework.js';
import { personalChat } from './personal-chat.js';
import type { RefStore } from './refs.js';
import { renderDecisionCard } from './render/decision-card.js';
import { renderNoticeCard } from './render/notice-card.js';
import { cardMessage, type OutgoingMessage } from './render/reply.js';
import { textsFor } from './render/texts.js';

export interface TeamsSenderParts {
  deps: AppDeps;
  config: Config;
  framework: BotFramework;
  refs: RefStore;
  files: FileOffers;
  logger: Logger;
}

/** Where a card was posted (`cards.location`), so any instance can redraw it later. */
const locationSchema = z.object({
  conversationId: z.string().min(1),
  activityId: z.string().min(1),
  serviceUrl: z.string().url(),
});

/**
 * The posted card a click came from, named as `sendCard` recorded where it posted it: the conversation
 * (in a channel, without the thread part Teams adds, `;messageid=…`), the card's message, the service URL.
 * Undefined when the click names no message.
 */
export function clickedCopy(activity: Activity): CardCopy | undefined {
  if (!activity.replyToId) return undefined;
  const location: z.input<typeof locationSchema> = {
    conversationId: activity.conversation.id.split(';')[0]!,
    activityId: activity.replyToId,
    serviceUrl: activity.serviceUrl,
  };
  return { platform: 'teams', location };
}

/**
 * The Teams side of the delivery worker (src/app/delivery-port.ts): people are reached through the
 * conversation reference stored when they installed the app or last wrote to the bot; the compliance
 * team through TEAMS_COMPLIANCE_CONVERSATION_ID.
 */
export function createTeamsSender({
  deps,
  config,
  framework,
  refs,
  files,
  logger,
}: TeamsSenderParts): PlatformSender {
  const complianceId = config.TEAMS_COMPLIANCE_CONVERSATION_ID;

  async function channelReference(conversationId: string): Promise<ConversationRef> {
    const endpoint = await refs.endpoint();
    // The service URL is learnt from traffic; before anyone has written to the bot there is none.
    if (!endpoint) throw new DeliveryError('teams: no service URL known yet (nobody has messaged the bot)');
    return {
      channelId: 'msteams',
      serviceUrl: endpoint.serviceUrl,
      conversation: {
        id: conversationId,
        conversationType: 'channel',
        isGroup: true,
        ...(endpoint.tenantId ? { tenantId: endpoint.tenantId } : {}),
      },
      ...(endpoint.botId ? { bot: { id: endpoint.botId } } : {}),
    };
  }

  async function referenceFor(to: Address): Promise<ConversationRef> {
    if (complianceId && to.id === complianceId) return channelReference(complianceId);
    const ref = await refs.load(to.id);
    if (!ref)
      throw new DeliveryError(`teams: no conversation with ${to.id} (app not installed)`, {
        permanent: true,
      });
    return ref;
  }

  async function post(
    to: Address,
    message: OutgoingMessage,
    what: string,
  ): Promise<{ ref: ConversationRef; activityId: string }> {
    const ref = await referenceFor(to);
    const activityId = await deliveryCall(
      what,
      () => framework.continueConversation(ref, (t) => t.send(message)),
      toDeliveryError,
    );
    if (!activityId) throw new DeliveryError(`${what}: Teams returned no activity id`);
    return { ref, activityId };
  }

  /** A person's one-to-one chat: stored, else opened from the endpoint the bot last served (see personalChat). */
  async function chatWith(teamsUserId: string): Promise<ConversationRef | undefined> {
    try {
      return await personalChat({ framework, refs, logger }, teamsUserId, () => refs.endpoint());
    } catch (err) {
      throw toDeliveryError(err, 'teams: open chat');
    }
  }

  /** A decision card as its reader sees it, refreshed for whoever decides it whenever they open it. */
  async function decisionMessage(card: DecisionCardView, reader: Reader) {
    const refreshUserIds = await deciderTeamsIds(deps, card.transfer.id, card.decision);
    return cardMessage(renderDecisionCard(card, textsFor(reader), { refreshUserIds }));
  }

  return {
    platform: 'teams',

    async resolveUser(user: UserRow): Promise<PlatformContact | null> {
      const teamsUserId = user.identities.teams;
      if (!teamsUserId) return null;
      const ref = await chatWith(teamsUserId);
      if (!ref) return null;
      // The language is the one stored with the person's Teams identity, from their activities; one
      // never stored (the bot installed, nothing said since) is taken from the chat's reference once.
      const known = user.platformLocales.teams
        ? user
        : await notePlatformLocale(deps, user, 'teams', { locale: ref.locale }, deps.now());
      return { id: teamsUserId, locale: known.platformLocales.teams?.locale };
    },

    resolveChannel(channel: string): PlatformContact | null {
      if (channel !== COMPLIANCE_CHANNEL || !complianceId) return null;
      return { id: complianceId };
    },

    async sendMessage(to: Address, content: MessageContent): Promise<void> {
      await post(to, cardMessage(renderNoticeCard(content, textsFor(to.reader))), 'teams: message');
    },

    async sendCard(to: Address, card: DecisionCardView): Promise<CardLocation> {
      const { ref, activityId } = await post(to, await decisionMessage(card, to.reader), 'teams: card');
      return { conversationId: ref.conversation.id, activityId, serviceUrl: ref.serviceUrl };
    },

    async updateCard(location: CardLocation, card: DecisionCardView, reader: Reader): Promise<void> {
      const { conversationId, activityId, serviceUrl } = cardLocationOf(
        locationSchema,
        location,
        'teams: card location is not a Teams one',
      );
      const message = await decisionMessage(card, reader);
      const ref: ConversationRef = { channelId: 'msteams', serviceUrl, conversation: { id: conversationId } };
      await deliveryCall(
        'teams: card update',
        () => framework.continueConversation(ref, (t) => t.update(activityId, message)),
        toDeliveryError,
      );
    },

    async sendFile(to: Address, file: { path: string; name: string; title: Msg }): Promise<void> {
      // A file consent card only works in a one-to-one chat: files go to people, not channels.
      if (complianceId && to.id === complianceId)
        throw new DeliveryError('teams: files go to people, not channels', { permanent: true });
      const offer = await files.offer(
        { path: file.path, name: file.name, description: tr(to.reader, file.title) },
        to.id,
        deps.now(),
      );
      await post(to, offer, 'teams: file');
    },
  };
}
