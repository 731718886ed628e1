import type { webApi } from '@slack/bolt';
import { z } from 'zod';

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
