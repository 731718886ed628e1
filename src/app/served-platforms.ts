import type { AppDeps } from './deps.js';
import { DeliveryError, type PlatformSender } from './delivery-port.js';
import type { IdentityPlatform, UserRow } from './ports/users.js';

/** `transfer-bot start` serves these platforms on this database: from now on their people's messages wait for them. */
export function markPlatformsServed(
  deps: Pick<AppDeps, 'store' | 'now'>,
  platforms: readonly IdentityPlatform[],
): Promise<void> {
  return deps.store.platforms.markServed(platforms, deps.now());
}

/**
 * A sender of a process without chat platforms (the console), made to leave alone what the bot delivers
 * on Slack or Teams: a message for a person linked on a platform this database has been served on, and
 * one for a role channel once any has, waits for that platform (the bot's next start) instead of being
 * taken for the console's inbox and lost for the platform. A database never served on one (the demo,
 * the console alone) keeps everything for the console.
 */
export async function leavingServedPlatforms(
  deps: Pick<AppDeps, 'store'>,
  sender: PlatformSender,
): Promise<PlatformSender> {
  const served = await deps.store.platforms.served();
  if (served.length === 0) return sender;
  const waitFor = (platform: IdentityPlatform, whom: string): never => {
    throw new DeliveryError(`waits for ${platform}, where ${whom} is served`, { waitsFor: platform });
  };
  return {
    platform: sender.platform,
    async resolveUser(user) {
      const platform = platformOf(served, user);
      return platform ? waitFor(platform, `user ${user.id}`) : sender.resolveUser(user);
    },
    resolveChannel(channel) {
      return waitFor(served[0]!, `channel ${channel}`);
    },
    sendMessage: (to, content) => sender.sendMessage(to, content),
    sendCard: (to, card) => sender.sendCard(to, card),
    updateCard: (location, card, reader) => sender.updateCard(location, card, reader),
    sendFile: (to, file) => sender.sendFile(to, file),
  };
}

/** The first platform the person is linked on that the database has been served on, if any. */
function platformOf(
  served: readonly IdentityPlatform[],
  user: Pick<UserRow, 'identities'>,
): IdentityPlatform | undefined {
  return served.find((platform) => user.identities[platform] !== undefined);
}
