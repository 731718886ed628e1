import type { AppDeps } from '../app/deps.js';
import type { PlatformSender } from '../app/delivery-port.js';
import { COMPLIANCE_CHANNEL } from '../app/notifications.js';
import { isIdentityPlatform, type UserRow } from '../app/ports/users.js';
import { readerFor } from '../app/reader.js';
import type { Reader } from '../i18n/index.js';
import { channelTargets, userTarget } from './targets.js';

/** The reader of one posted copy: the person it was posted to (and who they are now), or the compliance channel. */
export async function copyReader(
  deps: Pick<AppDeps, 'store' | 'config'>,
  sender: PlatformSender,
  userId: number | null,
): Promise<{ reader: Reader; user?: UserRow }> {
  const defaultTimeZone = deps.config.defaultTimeZone;
  if (userId === null) {
    const channel = channelTargets([sender], COMPLIANCE_CHANNEL, deps.config)[0];
    return { reader: channel?.address.reader ?? noReader(deps) };
  }
  const user = await deps.store.users.findUser({ id: userId });
  if (!user) return { reader: noReader(deps) };
  const target = await userTarget([sender], user, defaultTimeZone);
  const on = isIdentityPlatform(sender.platform) ? sender.platform : undefined;
  return { reader: target?.address.reader ?? readerFor(user, { on }, defaultTimeZone), user };
}

/** Nobody known to read it: English, in the default zone. */
export function noReader(deps: Pick<AppDeps, 'config'>): Reader {
  return readerFor(undefined, {}, deps.config.defaultTimeZone);
}
