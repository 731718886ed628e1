import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../../src/app/deps.js';
import { identify, type Identified } from '../../src/app/identity.js';
import type { Refusal } from '../../src/domain/types.js';
import { resolveLocale, type Locale } from '../../src/i18n/index.js';

/** What Slack knows of a person that the inventory may not: their e-mail, language and time zone. */
export interface SlackProfile {
  email?: string | undefined;
  locale?: string | undefined;
  tz?: string | undefined;
}

const usersInfoSchema = z.object({
  user: z
    .object({
      locale: z.string().optional(),
      tz: z.string().optional(),
      profile: z.object({ email: z.string().optional() }).partial().optional(),
    })
    .optional(),
});

const TTL_MS = 10 * 60 * 1000;

/**
 * `users.info` answers, kept for a few minutes: every interaction needs the person's language, and
 * paying a Slack round trip on each click would eat into the three seconds a trigger_id lives.
 * Only the language, e-mail and time zone are kept; roles are always read from the database.
 */
export class SlackPeople {
  private readonly cache = new Map<string, { profile: SlackProfile; at: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: () => number = Date.now,
  ) {}

  cached(userId: string): SlackProfile | undefined {
    const hit = this.cache.get(userId);
    if (!hit || this.clock() - hit.at > TTL_MS) return undefined;
    return hit.profile;
  }

  /** The profile from Slack (cached); an empty one when Slack cannot tell, so a click never fails on it. */
  async profile(userId: string): Promise<SlackProfile> {
    const hit = this.cached(userId);
    if (hit) return hit;
    try {
      const answer = usersInfoSchema.parse(
        await this.client.users.info({ user: userId, include_locale: true }),
      );
      const profile: SlackProfile = {
        email: answer.user?.profile?.email,
        locale: answer.user?.locale,
        tz: answer.user?.tz,
      };
      this.cache.set(userId, { profile, at: this.clock() });
      return profile;
    } catch {
      return {};
    }
  }
}

export interface SlackWho extends Identified {
  slackUserId: string;
  timeZone: string;
}

/** Who clicked or typed, or why they cannot act, with the language to say it in. */
export type WhoResult = { ok: true; value: SlackWho } | { ok: false; refusal: Refusal; locale: Locale };

/**
 * Identifies a Slack user against the inventory: by Slack user id, else by the e-mail Slack gives
 * (then linked). `fast` skips the Slack round trip when the profile is not cached — for paths that
 * must open a modal with a trigger_id first; the e-mail is still fetched when the id is unknown.
 */
export async function whoIs(
  deps: AppDeps,
  people: SlackPeople,
  slackUserId: string,
  tzDefault: string,
  opts: { fast?: boolean } = {},
): Promise<WhoResult> {
  const profile = opts.fast ? (people.cached(slackUserId) ?? {}) : await people.profile(slackUserId);
  const result = await identify(deps, {
    surface: 'slack',
    platformUserId: slackUserId,
    platformLocale: profile.locale,
    lookupEmail: async () => profile.email ?? (await people.profile(slackUserId)).email,
  });
  if (!result.ok) return { ok: false, refusal: result.refusal, locale: resolveLocale(profile.locale) };
  const timeZone = profile.tz ?? result.value.user.timeZone ?? tzDefault;
  return { ok: true, value: { ...result.value, slackUserId, timeZone } };
}
