import type { Address, PlatformSender } from '../app/delivery-port.js';
import { reachOrder } from '../app/heard.js';
import { isIdentityPlatform, type UserRow } from '../app/ports/users.js';
import { readerFor } from '../app/reader.js';
import type { AppConfig } from '../app/deps.js';

/** One place a message goes: a platform and the address it answered for. */
export interface Target {
  sender: PlatformSender;
  address: Address;
  /** The person reached, when the target is one (a compliance officer standing in for the channel). */
  userId?: number;
}

/**
 * A person is reached on the first platform that knows them: each person on the platform they are linked
 * on. One copy per person, never one per platform. Linked on several, a message that names a platform
 * (`via`: the one they asked on) tries it first, then the platform they last spoke to the bot on, then
 * the others in the order the senders were given (see `reachOrder`).
 */
export async function userTarget(
  senders: readonly PlatformSender[],
  user: UserRow,
  defaultTimeZone: string,
  via?: string,
): Promise<Target | null> {
  for (const sender of reachOrder(senders, user, via)) {
    const contact = await sender.resolveUser(user);
    if (contact) {
      // The language is the person's stored one (the sender's `locale` is what it has just stored).
      const on = isIdentityPlatform(sender.platform) ? sender.platform : undefined;
      const reader = readerFor(user, { ...contact, on }, defaultTimeZone);
      return { sender, address: { platform: sender.platform, id: contact.id, reader } };
    }
  }
  return null;
}

/** A role channel (compliance) gets the message on every platform that has one configured. */
export function channelTargets(
  senders: readonly PlatformSender[],
  channel: string,
  config: Pick<AppConfig, 'defaultTimeZone' | 'complianceLocale'>,
): Target[] {
  const targets: Target[] = [];
  for (const sender of senders) {
    const contact = sender.resolveChannel(channel);
    if (contact) {
      // Read by several people: the language set for them (COMPLIANCE_LOCALE), where the platform says none.
      const locale = contact.locale ?? config.complianceLocale;
      const reader = readerFor(undefined, { ...contact, locale }, config.defaultTimeZone);
      targets.push({ sender, address: { platform: sender.platform, id: contact.id, reader } });
    }
  }
  return targets;
}

/** The key a landing is remembered by, so a retry knows this address already has its copy. */
export function landingKey(target: Target): string {
  return `${target.sender.platform}:${target.address.id}`;
}
