import type { z } from 'zod';
import type { UserRow } from './ports/users.js';
import type { Msg } from '../domain/msg.js';
import type { Reader } from '../i18n/index.js';
import type { DecisionCardView } from './cards.js';
import type { PlatformHints } from './reader.js';

/**
 * What the delivery worker needs from a chat platform (Slack, Teams, the console). Each adapter
 * implements it; the worker decides what is due, whom it goes to, retries and records results.
 */
export type Platform = 'slack' | 'teams' | 'console';

/**
 * Platforms whose cards are drawn afresh each time they are read (the console's inbox draws them from the
 * outbox rows): a decision needs no redraw of their copies, by any process.
 */
export function cardsDrawnWhenRead(platform: string): boolean {
  return platform === ('console' satisfies Platform);
}

/** How a platform reaches a person or a channel, and what it knows of how they read. */
export interface PlatformContact extends PlatformHints {
  /** Platform-specific id: Slack user or channel id; Teams user id or conversation id. */
  id: string;
}

/** Where a message for one person or channel goes on one platform, and how it is to be read there. */
export interface Address {
  platform: Platform;
  id: string;
  reader: Reader;
}

/** Where a posted card landed, so every copy can be updated in place once decided. */
export type CardLocation = Record<string, string>;

/** A plain notification: a headline and detail lines, translated by the renderer for the address's reader. */
export interface MessageContent {
  text: Msg;
  lines: Msg[];
  transferId?: string;
}

export interface PlatformSender {
  readonly platform: Platform;
  /**
   * How this platform reaches a user, or null when it cannot (not linked, not found by e-mail, app never
   * installed). May look the user up by e-mail and link them.
   */
  resolveUser(user: UserRow): Promise<PlatformContact | null>;
  /** How this platform reaches a role channel such as `compliance`, or null when none is configured. */
  resolveChannel(channel: string): PlatformContact | null;
  sendMessage(to: Address, content: MessageContent): Promise<void>;
  sendCard(to: Address, card: DecisionCardView): Promise<CardLocation>;
  /** Redraws a card where it was posted, for its reader; must be idempotent (a retry redraws the same thing). */
  updateCard(location: CardLocation, card: DecisionCardView, reader: Reader): Promise<void>;
  sendFile(to: Address, file: { path: string; name: string; title: Msg }): Promise<void>;
}

/**
 * A delivery that did not go through. `retryAfterMs` carries a platform's Retry-After; `permanent`
 * means retrying cannot help (unknown user, channel not found, app uninstalled).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: {
      retryAfterMs?: number;
      permanent?: boolean;
      /**
       * Not this process's to deliver: the recipient is served on this platform, which this process lacks
       * (the console, beside a bot that serves Slack or Teams). The message waits for it; no attempt counts.
       */
      waitsFor?: Platform;
    } = {},
  ) {
    super(message);
  }
}

/** One platform call: whatever it throws becomes the DeliveryError the platform's own mapping makes of it. */
export async function deliveryCall<T>(
  what: string,
  call: () => Promise<T>,
  toError: (err: unknown, what: string) => DeliveryError,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toError(err, what);
  }
}

/** A stored card location in the shape this platform wrote it; any other cannot be redrawn, ever. */
export function cardLocationOf<T>(schema: z.ZodType<T>, location: CardLocation, problem: string): T {
  const parsed = schema.safeParse(location);
  if (!parsed.success) throw new DeliveryError(problem, { permanent: true });
  return parsed.data;
}
