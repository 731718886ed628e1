import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { AppDeps } from '../../src/app/deps.js';
import type { Locale } from '../../src/i18n/index.js';
import type { WorkQueue } from '../../src/app/work-queue.js';
import { whoIs, type SlackPeople, type WhoResult } from './people.js';

/** What every Slack handler needs, passed in once (no module state). */
export interface SlackContext {
  deps: AppDeps;
  /** Bolt's client for interactive calls (opening modals, answering clicks). */
  client: webApi.WebClient;
  people: SlackPeople;
  log: Logger;
  complianceChannel: string | undefined;
  /** The language of cards in the compliance channel (shared by people of several languages). */
  channelLocale: Locale;
  tzDefault: string;
  /** Slash-command work after the ack: bounded, so a flood is told "busy" instead of slowing every ack. */
  work: WorkQueue;
}

export function who(ctx: SlackContext, slackUserId: string, fast = false): Promise<WhoResult> {
  return whoIs(ctx.deps, ctx.people, slackUserId, ctx.tzDefault, { fast });
}
