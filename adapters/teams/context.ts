import type { Logger } from 'pino';
import type { AppDeps } from '../../src/app/deps.js';
import { identify, type Identified } from '../../src/app/identity.js';
import type { Result } from '../../src/app/run.js';
import type { Config } from '../../src/config.js';
import { resolveLocale } from '../../src/i18n/index.js';
import type { Activity } from './activity.js';
import type { FileOffers } from './files.js';
import type { BotFramework, InboundTurn } from './framework.js';
import type { RefStore } from './refs.js';
import { textsFor, type Texts } from './render/texts.js';

/** What every handler of an incoming activity works with. */
export interface TeamsContext {
  deps: AppDeps;
  config: Config;
  logger: Logger;
  refs: RefStore;
  files: FileOffers;
  framework: BotFramework;
}

export interface Turn {
  ctx: TeamsContext;
  activity: Activity;
  io: InboundTurn;
}

/**
 * The person behind an activity, as the inventory knows them: by Teams user id, else by the e-mail the
 * Teams roster gives for them (then linked, so the next message is matched by id).
 */
export function whoIsSpeaking(turn: Turn): Promise<Result<Identified>> {
  const { activity, io } = turn;
  return identify(turn.ctx.deps, {
    surface: 'teams',
    platformUserId: activity.from.id,
    platformLocale: activity.locale,
    lookupEmail: () => io.memberEmail(activity.from.id),
  });
}

/** Texts for the identified speaker: their Teams language first, their time zone from the inventory. */
export function textsOf(turn: Turn, who: Identified | null): Texts {
  return textsFor({
    locale: who?.locale ?? resolveLocale(turn.activity.locale),
    timeZone: who?.user.timeZone ?? turn.ctx.config.TZ_DEFAULT,
  });
}
