import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { PlatformSaid } from '../../src/app/platform-locale.js';
import type { Reader } from '../../src/i18n/index.js';

/** What Slack knows of a person that the inventory may not: their e-mail, language and time zone. */
export interface SlackProfile {
  email?: string | undefined;
  locale?: string | undefined;
  tz?: string | undefined;
  /** When Slack said it (ms since the epoch): a cached answer older than the language stored is not taken. */
  at?: number | undefined;
}

/** What Slack said, as the application hears it, when it said it (see `at`); nothing otherwise. */
export function heard(profile: SlackProfile | undefined): PlatformSaid | undefined {
  if (profile?.at === undefined) return undefined;
  return { locale: profile.locale, timeZone: profile.tz, at: new Date(profile.at) };
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

export interface PeopleCacheOptions {
  /** How long an answer is trusted (a person may change their language or time zone). */
  ttlMs?: number;
  /** How many people are remembered at most; past that, the one unseen the longest is forgotten. */
  maxEntries?: number;
  /** How long a command waits for `users.info` before going on without it (default 3 s). */
  lookupDeadlineMs?: number;
  /** Lookups messages the bot sends on its own may make a minute (see `profileToSend`; default 50). */
  sendingLookupsPerMinute?: number;
}

const TTL_MS = 10 * 60 * 1000;
/**
 * A lookup Slack does not answer in this time is gone on without (the inventory's language and zone, an
 * identity already linked): the command's answer does not wait for the client's own 10 s and retries, and
 * the few commands worked on at once are not all held behind lookups that hang.
 */
const LOOKUP_DEADLINE_MS = 3_000;
// A workspace's active people fit; a flood of distinct (or made-up) user ids cannot grow the process.
const MAX_ENTRIES = 10_000;
/**
 * Slack answers users.info about a hundred times a minute (its tier 4), for commands and messages alike:
 * messages the bot sends on its own (a burst of status messages, a reminder sweep) take at most half.
 */
const SENDING_LOOKUPS_PER_MINUTE = 50;

/**
 * Values kept for a while, by Slack user id: past `maxEntries`, the one unseen the longest is forgotten
 * (a Map keeps insertion order; a hit moves its entry to the end).
 */
class Recent<V> {
  private readonly kept = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.kept.get(key);
    if (!hit) return undefined;
    this.kept.delete(key);
    if (this.clock() - hit.at > this.ttlMs) return undefined;
    this.kept.set(key, hit);
    return hit.value;
  }

  /** Kept as of `at` (when it was true: a cached answer's time), now by default. */
  set(key: string, value: V, at = this.clock()): void {
    this.kept.delete(key);
    this.kept.set(key, { value, at });
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= this.maxEntries) break;
      this.kept.delete(oldest);
    }
  }
}

/**
 * `users.info` answers, kept for a few minutes, so that a person whose e-mail is needed (to be linked) or
 * whose language and zone are not stored yet costs one Slack round trip, not one per click (a trigger_id
 * lives three seconds). Only the language, e-mail and time zone are kept; roles are always read from the
 * database. The language and zone are only a cache in front of those stored with the person's Slack
 * identity (src/app/platform-locale.ts): what a reader is given is always the stored one, and Slack is
 * asked again only once that is a week old.
 * Beside them, how each person was last identified as reading (`reader`): what answers given before the
 * person is identified go by, without reading the database again.
 */
export class SlackPeople {
  private readonly cache: Recent<SlackProfile>;
  private readonly readers: Recent<Reader>;
  private readonly lookupDeadlineMs: number;
  private readonly sendingRate: number;
  private sendingTokens: number;
  private sendingAt: number;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: () => number = Date.now,
    options: PeopleCacheOptions = {},
  ) {
    const ttlMs = options.ttlMs ?? TTL_MS;
    const maxEntries = Math.max(1, options.maxEntries ?? MAX_ENTRIES);
    this.cache = new Recent(ttlMs, maxEntries, clock);
    this.readers = new Recent(ttlMs, maxEntries, clock);
    this.lookupDeadlineMs = options.lookupDeadlineMs ?? LOOKUP_DEADLINE_MS;
    this.sendingRate = Math.max(0, options.sendingLookupsPerMinute ?? SENDING_LOOKUPS_PER_MINUTE);
    this.sendingTokens = this.sendingRate;
    this.sendingAt = this.clock();
  }

  /**
   * The profile for a message the bot sends on its own: cached, else asked of Slack while this minute's
   * share of lookups lasts (see SENDING_LOOKUPS_PER_MINUTE); past it, undefined at once — the message
   * goes in the language the inventory gives rather than waiting on a throttled Slack.
   */
  async profileToSend(userId: string): Promise<SlackProfile | undefined> {
    const hit = this.cached(userId);
    if (hit) return hit;
    const now = this.clock();
    this.sendingTokens = Math.min(
      this.sendingRate,
      this.sendingTokens + ((now - this.sendingAt) / 60_000) * this.sendingRate,
    );
    this.sendingAt = now;
    if (this.sendingTokens < 1) return undefined;
    this.sendingTokens -= 1;
    return this.profile(userId);
  }

  cached(userId: string): SlackProfile | undefined {
    return this.cache.get(userId);
  }

  /** Keeps what Slack said of a person another way (`users.lookupByEmail`), as `users.info` would be kept. */
  remember(userId: string, profile: SlackProfile): void {
    const at = profile.at ?? this.clock();
    this.cache.set(userId, { ...profile, at }, at);
  }

  /** How the person was last identified as reading, for a few minutes (see `knownReader`). */
  reader(userId: string): Reader | undefined {
    return this.readers.get(userId);
  }

  rememberReader(userId: string, reader: Reader): void {
    this.readers.set(userId, reader);
  }

  /** The profile from Slack (cached); an empty one when Slack cannot tell, so a click never fails on it. */
  async profile(userId: string): Promise<SlackProfile> {
    const hit = this.cached(userId);
    if (hit) return hit;
    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('users.info: no answer in time')), this.lookupDeadlineMs);
      });
      const asked = this.client.users.info({ user: userId, include_locale: true });
      asked.catch(() => undefined); // given up on: its own failure, later, is nobody's
      const answer = usersInfoSchema.parse(await Promise.race([asked, late]));
      const profile: SlackProfile = {
        email: answer.user?.profile?.email,
        locale: answer.user?.locale,
        tz: answer.user?.tz,
        at: this.clock(),
      };
      this.remember(userId, profile);
      return profile;
    } catch {
      return {};
    } finally {
      clearTimeout(timer);
    }
  }
}
