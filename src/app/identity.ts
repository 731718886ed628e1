import type { Actor, GlobalRole, Surface } from '../domain/types.js';
import { GLOBAL_ROLES, refuse } from '../domain/types.js';
import type { Reader } from '../i18n/index.js';
import type { AppDeps } from './deps.js';
import { isIdentityPlatform, type IdentityPlatform, type UserRow } from './ports/users.js';
import { noteHeard } from './heard.js';
import { hearPlatform, type PlatformSaid } from './platform-locale.js';
import { offerWhatWaited } from './reachable.js';
import { readerFor } from './reader.js';
import { okResult, refused, type Result } from './run.js';

export interface Identified {
  actor: Actor;
  user: UserRow;
  /** How they read what the bot answers: resolved once, here, for every surface. */
  reader: Reader;
}

/** The actor as the database knows them now: roles are read on every request, never taken from a payload. */
export async function loadActor(
  deps: Pick<AppDeps, 'store'>,
  user: UserRow,
  surface: Surface,
): Promise<Actor> {
  const adminOf = user.adminOf ?? (await deps.store.users.administeredAccountIds(user.id));
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    legalEntityId: user.legalEntityId,
    adminOf: new Set(adminOf),
    globalRoles: new Set(
      user.globalRoles.filter((role): role is GlobalRole => (GLOBAL_ROLES as string[]).includes(role)),
    ),
    surface,
  };
}

/**
 * A platform id found through the person's e-mail is remembered, so the next time they are matched by it.
 * A person already linked on that platform keeps their link; an id someone else holds is left with them.
 * Linked, they can be reached there: what waited for them is queued in the same transaction.
 */
export async function rememberIdentity(
  deps: Pick<AppDeps, 'store' | 'now'>,
  user: UserRow,
  platform: IdentityPlatform,
  externalId: string,
): Promise<void> {
  if (user.identities[platform] !== undefined) return;
  const now = deps.now();
  await deps.store.transaction(async (repos) => {
    if (await repos.users.linkIdentity(user.id, platform, externalId))
      await offerWhatWaited(repos, user, now);
  });
}

const PLATFORM_NAMES: Record<IdentityPlatform, string> = { slack: 'Slack', teams: 'Teams' };

/**
 * Who is speaking, as the inventory knows them: by the platform's user id, else by e-mail (looked up
 * on the platform only when needed) — and then linked, so the next message is matched by id. That they
 * spoke on this platform is remembered (`noteHeard`): it is where they are reached next.
 * How they read: see `readerFor`.
 */
export async function identify(
  deps: AppDeps,
  who: {
    surface: Surface;
    platformUserId?: string | undefined;
    email?: string | undefined;
    /**
     * What the platform says of them, at hand (a Teams activity's language, Slack's cached answer): stored
     * for them (see `notePlatformLocale`).
     */
    platformSaid?: PlatformSaid | undefined;
    /** Asks the platform when nothing is at hand and what is stored is missing or old (`hearPlatform`). */
    askPlatform?: () => Promise<PlatformSaid | undefined>;
    lookupEmail?: () => Promise<string | undefined>;
  },
): Promise<Result<Identified>> {
  const platform = isIdentityPlatform(who.surface) ? who.surface : null;
  const externalId = platform ? who.platformUserId : undefined;
  let user =
    platform && externalId
      ? await deps.store.users.findUser({ identity: { platform, externalId } })
      : undefined;
  let email = who.email;
  if (!user && !email && who.lookupEmail) email = await who.lookupEmail();
  if (!user && email) {
    user = await deps.store.users.findUser({ email });
    if (user && platform && externalId) {
      // Once linked on a platform, a person is that account there: another one giving the same e-mail
      // (another tenant's directory may say anything) does not act for them.
      const linked = user.identities[platform];
      if (linked !== undefined && linked !== externalId)
        return refused(
          refuse('forbidden', 'core:refusal.otherIdentity', { platform: PLATFORM_NAMES[platform], email }),
        );
      await rememberIdentity(deps, user, platform, externalId);
    }
  }
  if (!user) {
    return refused(
      refuse('forbidden', 'core:refusal.unknownUser', { who: email ?? who.platformUserId ?? '?' }),
    );
  }
  if (platform) {
    user = await hearPlatform(deps, user, platform, who.platformSaid, who.askPlatform);
    user = await noteHeard(deps, user, platform);
  }
  const actor = await loadActor(deps, user, who.surface);
  // A language said with this very message (a Teams activity's) answers it, whatever is stored; what a
  // cache holds (said earlier) or the platform was asked speaks only through what is stored.
  const spokenNow = who.platformSaid?.at === undefined ? who.platformSaid : undefined;
  const reader = readerFor(
    user,
    { on: platform ?? undefined, locale: spokenNow?.locale, timeZone: spokenNow?.timeZone },
    deps.config.defaultTimeZone,
  );
  return okResult({ actor, user, reader });
}

/**
 * How the person linked to this platform id reads before they are identified (a busy or failed answer, a
 * request refused before it is read): as `readerFor` says with what is stored for them. Undefined when
 * nobody is linked to it or the database does not answer, with an error or not within `waitMs`: the
 * caller then goes by what the platform says.
 */
export async function storedReaderOf(
  deps: Pick<AppDeps, 'store' | 'config'>,
  platform: IdentityPlatform,
  externalId: string,
  waitMs: number,
): Promise<Reader | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  const read = deps.store.users.findUser({ identity: { platform, externalId } }).catch(() => undefined);
  try {
    const person = await Promise.race([read, late]);
    return person && readerFor(person, { on: platform }, deps.config.defaultTimeZone);
  } finally {
    clearTimeout(timer);
  }
}
