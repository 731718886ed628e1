import { findUser, linkPlatformId, loadActor, type UserRow } from '../../db/users-repo.js';
import type { Actor, Surface } from '../domain/types.js';
import { refuse } from '../domain/types.js';
import { resolveLocale, type Locale } from '../i18n/index.js';
import type { AppDeps } from './deps.js';
import { okResult, refused, type Result } from './run.js';

export interface Identified {
  actor: Actor;
  user: UserRow;
  locale: Locale;
}

/**
 * Who is speaking, as the inventory knows them: by the platform's user id, else by e-mail (looked up
 * on the platform only when needed) — and then linked, so the next message is matched by id.
 * The locale: the platform's, else the inventory's, else English (SPEC §9).
 */
export async function identify(
  deps: AppDeps,
  who: {
    surface: Surface;
    platformUserId?: string | undefined;
    email?: string | undefined;
    platformLocale?: string | undefined;
    lookupEmail?: () => Promise<string | undefined>;
  },
): Promise<Result<Identified>> {
  const platform = who.surface === 'slack' || who.surface === 'teams' ? who.surface : null;
  let user: UserRow | undefined;
  if (platform && who.platformUserId) {
    user = await findUser(
      deps.db,
      platform === 'slack' ? { slackUserId: who.platformUserId } : { teamsUserId: who.platformUserId },
    );
  }
  let email = who.email;
  if (!user && !email && who.lookupEmail) email = await who.lookupEmail();
  if (!user && email) {
    user = await findUser(deps.db, { email });
    if (user && platform && who.platformUserId) {
      const linked = platform === 'slack' ? user.slackUserId : user.teamsUserId;
      if (!linked) await linkPlatformId(deps.db, user.id, platform, who.platformUserId);
    }
  }
  if (!user) {
    return refused(
      refuse('forbidden', 'core:refusal.unknownUser', { who: email ?? who.platformUserId ?? '?' }),
    );
  }
  const actor = await loadActor(deps.db, user, who.surface);
  return okResult({ actor, user, locale: resolveLocale(who.platformLocale, user.locale) });
}
