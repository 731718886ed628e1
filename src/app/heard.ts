import type { AppDeps } from './deps.js';
import type { IdentityPlatform, UserRow } from './ports/users.js';

/**
 * How long a stored "last heard on this platform" stands without being written again while the person
 * keeps speaking there: a day. It is written at once when they speak on another platform than the one
 * heard last, so where they are reached follows them without a write on every click.
 */
export const HEARD_KEPT_MS = 24 * 60 * 60 * 1000;

/** The platform the person last spoke to the bot on, as stored; undefined when never heard on any. */
export function lastHeardOn(user: Pick<UserRow, 'heardAt'>): IdentityPlatform | undefined {
  let last: { platform: IdentityPlatform; at: Date } | undefined;
  for (const [platform, at] of Object.entries(user.heardAt ?? {}) as [IdentityPlatform, Date][])
    if (!last || at > last.at) last = { platform, at };
  return last?.platform;
}

/**
 * Remembers that the person spoke to the bot on this platform now (linked there, if only just), and returns
 * them as now known. Not written while this platform is already the one heard last and was heard less than
 * HEARD_KEPT_MS ago.
 */
export async function noteHeard(
  deps: Pick<AppDeps, 'store' | 'now'>,
  user: UserRow,
  platform: IdentityPlatform,
): Promise<UserRow> {
  const now = deps.now();
  const stored = user.heardAt?.[platform];
  if (stored && lastHeardOn(user) === platform && now.getTime() - stored.getTime() < HEARD_KEPT_MS)
    return user;
  if (!(await deps.store.users.noteHeard(user.id, platform, now))) return user;
  return { ...user, heardAt: { ...user.heardAt, [platform]: now } };
}

/**
 * The order to try a person's platforms in: the one named by the message (`via`, the one they asked on)
 * first, then the one they last spoke to the bot on, then the others in the order given.
 */
export function reachOrder<T extends { platform: string }>(
  senders: readonly T[],
  user: Pick<UserRow, 'heardAt'>,
  via?: string,
): T[] {
  const first = [via, lastHeardOn(user)].filter((p): p is string => p !== undefined);
  const rank = (platform: string): number => {
    const at = first.indexOf(platform);
    return at === -1 ? first.length : at;
  };
  // A stable sort: senders ranked alike keep the order they were given in.
  return [...senders].sort((a, b) => rank(a.platform) - rank(b.platform));
}
