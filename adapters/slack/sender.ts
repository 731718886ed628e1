import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { DecisionCardView } from '../../src/app/cards.js';
import type { AppDeps } from '../../src/app/deps.js';
import { rememberIdentity } from '../../src/app/identity.js';
import { hearPlatform } from '../../src/app/platform-locale.js';
import type { UserRow } from '../../src/app/ports/users.js';
import { COMPLIANCE_CHANNEL } from '../../src/app/notifications.js';
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
import { tr, type Locale, type Reader } from '../../src/i18n/index.js';
import { toDeliveryError } from './delivery-errors.js';
import { uploadFile } from './files.js';
import { heard, type SlackPeople, type SlackProfile } from './people.js';
import { cardMessage } from './render/card.js';
import { statusMessage } from './render/message.js';

export interface SlackSenderOptions {
  /** A client that fails fast (no retries, rate limits rejected): the delivery worker owns retrying. */
  client: webApi.WebClient;
  deps: Pick<AppDeps, 'store' | 'now'>;
  people?: SlackPeople;
  complianceChannel?: string | undefined;
  /** The language of cards and messages posted in the compliance channel. */
  channelLocale?: Locale;
}

const postedSchema = z.object({ channel: z.string(), ts: z.string() });
const locationSchema = z.object({ channel: z.string().min(1), ts: z.string().min(1) });
const lookupSchema = z.object({
  user: z.object({ id: z.string(), tz: z.string().optional(), locale: z.string().optional() }),
});

function notFound(err: unknown): boolean {
  const data = (err as { data?: { error?: unknown } }).data;
  return data?.error === 'users_not_found' || data?.error === 'user_not_found';
}

/**
 * The Slack side of the delivery port: direct messages to people, cards to them or to the compliance
 * channel, in-place card updates, and file uploads. Every failure becomes a DeliveryError the worker
 * can act on (retry after Retry-After, or give up on a user Slack does not know).
 */
export function createSlackSender(options: SlackSenderOptions): PlatformSender {
  const channelLocale = options.channelLocale ?? 'en';

  const call = <T>(what: string, fn: () => Promise<T>): Promise<T> => deliveryCall(what, fn, toDeliveryError);

  async function resolveUser(user: UserRow): Promise<PlatformContact | null> {
    let id = user.identities.slack;
    let said: SlackProfile | undefined;
    if (!id) {
      // Known to the inventory only by e-mail: ask Slack, and remember the answer for next time.
      let found: z.infer<typeof lookupSchema> | null;
      try {
        found = lookupSchema.parse(await options.client.users.lookupByEmail({ email: user.email }));
      } catch (err) {
        if (notFound(err)) return null;
        throw toDeliveryError(err, `users.lookupByEmail for user ${user.id}`);
      }
      id = found.user.id;
      const { tz, locale } = found.user;
      // Kept as users.info's answer is (the link below makes the next delivery skip this lookup).
      if (locale !== undefined || tz !== undefined) {
        said = { email: user.email, locale, tz, at: options.deps.now().getTime() };
        options.people?.remember(id, said);
      }
      // Should another inventory row hold this Slack id, the link is not made and the message goes anyway.
      await rememberIdentity(options.deps, user, 'slack', id);
    }
    said ??= options.people?.cached(id);
    // The language and zone Slack gave are stored with the person's Slack identity: asked (users.info,
    // within a share of Slack's limit on it) before the first message when none are stored, and again
    // once what is stored is old; past the share, the message goes as stored, else as the inventory says.
    const people = options.people;
    const known = await hearPlatform(
      options.deps,
      user,
      'slack',
      heard(said),
      people && (async () => heard(await people.profileToSend(id))),
    );
    const stored = known.platformLocales.slack;
    return { id, locale: stored?.locale, timeZone: stored?.timeZone };
  }

  return {
    platform: 'slack',
    resolveUser,
    resolveChannel(channel: string): PlatformContact | null {
      if (channel !== COMPLIANCE_CHANNEL || !options.complianceChannel) return null;
      return { id: options.complianceChannel, locale: channelLocale };
    },
    async sendMessage(to: Address, content: MessageContent): Promise<void> {
      const { text, blocks } = statusMessage(content, to.reader.locale);
      await call(`chat.postMessage to ${to.id}`, () =>
        options.client.chat.postMessage({ channel: to.id, text, blocks }),
      );
    },
    async sendCard(to: Address, card: DecisionCardView): Promise<CardLocation> {
      const { text, blocks } = cardMessage(card, to.reader);
      const posted = await call(`chat.postMessage card to ${to.id}`, () =>
        options.client.chat.postMessage({ channel: to.id, text, blocks }),
      );
      const where = postedSchema.safeParse(posted);
      if (!where.success)
        throw new DeliveryError('chat.postMessage: Slack did not say where the card was posted');
      return { channel: where.data.channel, ts: where.data.ts };
    },
    async updateCard(location: CardLocation, card: DecisionCardView, reader: Reader): Promise<void> {
      const { channel, ts } = cardLocationOf(
        locationSchema,
        location,
        'chat.update: not a Slack card location',
      );
      const { text, blocks } = cardMessage(card, reader);
      await call(`chat.update ${channel}/${ts}`, () =>
        options.client.chat.update({ channel, ts, text, blocks }),
      );
    },
    async sendFile(to: Address, file): Promise<void> {
      const title = tr(to.reader, file.title);
      await call(`file upload to ${to.id}`, () => uploadFile(options.client, to.id, file, title, title));
    },
  };
}
