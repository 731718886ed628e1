import type { z } from 'zod';
import type { UserRow } from './ports/users.js';
import type { Locale } from '../i18n/index.js';
import type { Msg } from '../i18n/msg.js';
import type { DecisionCardView } from './cards.js';

/**
 * What the delivery worker needs from a chat platform (Slack, Teams, the console). Each adapter
 * implements it; the worker decides what is due, whom it goes to, retries and records results.
 */
export type Platform = 'slack' | 'teams' | 'console';

/** Where a message for one person or channel goes on one platform (a Slack user/channel id, a Teams conversation). */
export interface Address {
  platform: Platform;
  /** Platform-specific id: Slack user or channel id; Teams user id or conversation id. */
  id: string;
  locale: Locale;
  timeZone: string;
}

/** Where a posted card landed, so every copy can be updated in place once decided. */
export type CardLocation = Record<string, string>;

/** A plain notification: a headline and detail lines, translated by the renderer for the address's locale. */
export interface MessageContent {
  text: Msg;
  lines: Msg[];
  transferId?: string;
}

export interface PlatformSender {
  readonly platform: Platform;
  /**
   * The address of a user on this platform, or null when this platform cannot reach them (not linked, not
   * found by e-mail, app never installed). May look the user up by e-mail and link them.
   */
  resolveUser(user: UserRow): Promise<Address | null>;
  /** The address of a role channel such as `compliance`, or null when none is configured. */
  resolveChannel(channel: string): Address | null;
  sendMessage(to: Address, content: MessageContent): Promise<void>;
  sendCard(to: Address, card: DecisionCardView): Promise<CardLocation>;
  /** Redraws a card where it was posted; must be idempotent (a retry redraws the same thing). */
  updateCard(location: CardLocation, card: DecisionCardView, locale: Locale): Promise<void>;
  sendFile(to: Address, file: { path: string; name: string; title: Msg }): Promise<void>;
}

/**
 * A delivery that did not go through. `retryAfterMs` carries a platform's Retry-After; `permanent`
 * means retrying cannot help (unknown user, channel not found, app uninstalled).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { retryAfterMs?: number; permanent?: boolean } = {},
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
