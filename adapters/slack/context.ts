import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AppDeps } from '../../src/app/deps.js';
import { identify, type Identified } from '../../src/app/identity.js';
import { readerFor } from '../../src/app/reader.js';
import type { WorkQueue } from '../../src/app/work-queue.js';
import type { Refusal } from '../../src/domain/types.js';
import type { Reader } from '../../src/i18n/index.js';
import type { SlackPeople, SlackProfile } from './people.js';

/** What every Slack handler needs, passed in once (no module state). */
export interface SlackContext {
  deps: AppDeps;
  /** Bolt's client for interactive calls (opening modals, answering clicks). */
  client: webApi.WebClient;
  people: SlackPeople;
  log: Logger;
  complianceChannel: string | undefined;
  /** Cards in the compliance channel are read by people of several languages: the channel's own. */
  channelReader: Reader;
  /** Slash-command work after the ack: bounded, so a flood is told "busy" instead of slowing every ack. */
  work: WorkQueue;
}

export interface SlackWho extends Identified {
  slackUserId: string;
}

/** Who clicked or typed, or why they cannot act, with how to say it to them. */
export type WhoResult = { ok: true; value: SlackWho } | { ok: false; refusal: Refusal; reader: Reader };

/** How someone the inventory does not know (yet) reads: by what Slack says of them. */
export function slackReader(ctx: SlackContext, profile: SlackProfile): Reader {
  return readerFor(
    undefined,
    { locale: profile.locale, timeZone: profile.tz },
    ctx.deps.config.defaultTimeZone,
  );
}

/**
 * Someone's reader as far as already known, without asking Slack or the database: for answers that cannot
 * wait, given before the person is identified (a busy or failed command).
 */
export function knownReader(ctx: SlackContext, slackUserId: string): Reader {
  return slackReader(ctx, ctx.people.cached(slackUserId) ?? {});
}

/**
 * Identifies a Slack user against the inventory: by Slack user id, else by the e-mail Slack gives
 * (then linked). `fast` skips the Slack round trip when the profile is not cached — for paths that
 * must open a modal with a trigger_id first; the e-mail is still fetched when the id is unknown.
 */
export async function who(ctx: SlackContext, slackUserId: string, fast = false): Promise<WhoResult> {
  const profile = fast ? (ctx.people.cached(slackUserId) ?? {}) : await ctx.people.profile(slackUserId);
  const result = await identify(ctx.deps, {
    surface: 'slack',
    platformUserId: slackUserId,
    platformLocale: profile.locale,
    platformLocaleAt: profile.at === undefined ? undefined : new Date(profile.at),
    platformTimeZone: profile.tz,
    lookupEmail: async () => profile.email ?? (await ctx.people.profile(slackUserId)).email,
  });
  if (!result.ok) return { ok: false, refusal: result.refusal, reader: slackReader(ctx, profile) };
  return { ok: true, value: { ...result.value, slackUserId } };
}
