import type { UserRow } from '../app/ports/users.js';
import type { Address, PlatformSender } from '../app/delivery-port.js';

/** One place a message goes: a platform and the address it answered for. */
export interface Target {
  sender: PlatformSender;
  address: Address;
}

/**
 * A person is reached on the first platform, in the order the senders were given, that knows them
 * (SPEC §7: each person on the platform they are linked on). One copy per person, never one per platform.
 */
export async function userTarget(senders: readonly PlatformSender[], user: UserRow): Promise<Target | null> {
  for (const sender of senders) {
    const address = await sender.resolveUser(user);
    if (address) return { sender, address };
  }
  return null;
}

/** A role channel (compliance) gets the message on every platform that has one configured. */
export function channelTargets(senders: readonly PlatformSender[], channel: string): Target[] {
  const targets: Target[] = [];
  for (const sender of senders) {
    const address = sender.resolveChannel(channel);
    if (address) targets.push({ sender, address });
  }
  return targets;
}

/** The key a landing is remembered by, so a retry knows this address already has its copy. */
export function landingKey(target: Target): string {
  return `${target.sender.platform}:${target.address.id}`;
}
