import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AppDeps } from '../../src/app/deps.js';
import { identify, storedReaderOf, type Identified } from '../../src/app/identity.js';
import { readerFor } from '../../src/app/reader.js';
import type { WorkQueue } from '../../src/app/work-queue.js';
import type { Refusal } from '../../src/domain/types.js';
import type { Reader } from '../../src/i18n/index.js';
import { heard, type SlackPeople, type SlackProfile } from './people.js';

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

/** A Slack user id (U…, or W… in an Enterprise Grid): anything else is not looked up. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{1,31}$/;

/**
 * How long an answer given before the person is identified waits for the language stored for them (one
 * read by key, a few milliseconds when the database is well): an ack, which Slack waits three seconds
 * for, half a second; an answer after the ack, often to a failure the database caused, a second.
 */
export const STORED_READER_WAIT_MS = { ack: 500, later: 1_000 } as const;

/**
 * Someone's reader before they are identified (a busy or failed command, a request refused before it
 * is read, a file shared): as this process last identified them, else as stored for their Slack id
 * (src/app: the database is read only then, and waited for at most `waitMs`), else as far as Slack has
 * said (cached; asked when `askSlack`, for answers that can wait for it).
 */
export async function knownReader(
  ctx: SlackContext,
  slackUserId: string,
  options: { waitMs?: number; askSlack?: boolean } = {},
): Promise<Reader> {
  const remembered = ctx.people.reader(slackUserId);
  if (remembered) return remembered;
  const waitMs = options.waitMs ?? STORED_READER_WAIT_MS.later;
  const stored = SLACK_USER_ID.test(slackUserId)
    ? await storedReaderOf(ctx.deps, 'slack', slackUserId, waitMs)
    : undefined;
  if (stored) return stored;
  const profile =
    ctx.people.cached(slackUserId) ?? (options.askSlack ? await ctx.people.profile(slackUserId) : {});
  return slackReader(ctx, profile);
}

/**
 * Identifies a Slack user against the inventory: by Slack user id, else by the e-mail Slack gives
 * (then linked). Their language and zone are those stored with their Slack identity; Slack is asked
 * (`users.info`) only when none are stored or they are a week old, and not at all when `fast` and not
 * cached — for paths that must open a modal with a trigger_id first; the e-mail is still fetched when the
 * id is unknown. How they read is remembered for answers given before the next identification.
 */
export async function who(ctx: SlackContext, slackUserId: string, fast = false): Promise<WhoResult> {
  const result = await identify(ctx.deps, {
    surface: 'slack',
    platformUserId: slackUserId,
    platformSaid: heard(ctx.people.cached(slackUserId)),
    askPlatform: fast ? undefined : async () => heard(await ctx.people.profile(slackUserId)),
    lookupEmail: async () => (await ctx.people.profile(slackUserId)).email,
  });
  const reader = result.ok ? result.value.reader : slackReader(ctx, ctx.people.cached(slackUserId) ?? {});
  ctx.people.rememberReader(slackUserId, reader);
  if (!result.ok) return { ok: false, refusal: result.refusal, reader };
  return { ok: true, value: { ...result.value, slackUserId } };
}
