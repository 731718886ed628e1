import type { Logger } from 'pino';
import type { AppDeps } from '../../src/app/deps.js';
import { trackChanges, type ChangeTracker } from '../../src/app/failure.js';
import { identify, type Identified } from '../../src/app/identity.js';
import type { Result } from '../../src/app/run.js';
import type { Config } from '../../src/config.js';
import { readerFor } from '../../src/app/reader.js';
import type { Activity } from './activity.js';
import type { FileHosts } from './file-hosts.js';
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
  /** Where attached files are downloaded from and exports uploaded to. */
  fileHosts: FileHosts;
  framework: BotFramework;
}

export interface Turn {
  ctx: TeamsContext;
  activity: Activity;
  io: InboundTurn;
  /** What the activity has changed so far (given to `dispatch` as `changed`), for the message a failure gets. */
  changes: ChangeTracker;
}

export function turnOf(ctx: TeamsContext, activity: Activity, io: InboundTurn): Turn {
  return { ctx, activity, io, changes: trackChanges() };
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
    platformSaid: { locale: activity.locale },
    lookupEmail: () => io.memberEmail(activity.from.id),
  });
}

/** Texts for the speaker as identified; for someone the inventory does not know, as Teams says. */
export function textsOf(turn: Turn, who: Identified | null): Texts {
  const { deps } = turn.ctx;
  return textsFor(
    who?.reader ?? readerFor(undefined, { locale: turn.activity.locale }, deps.config.defaultTimeZone),
  );
}
