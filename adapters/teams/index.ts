import express, { type Express, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { Config } from '../../src/config.js';
import { WorkQueue } from '../../src/app/work-queue.js';
import { DurableWork } from '../../src/app/durable-work.js';
import type { WorkRepository } from '../../src/app/ports/work.js';
import { BodyBudget, refuseBody } from '../http/body-budget.js';
import { onlyMethods } from '../http/errors.js';
import { createTurnHandler } from './bot.js';
import type { TeamsContext } from './context.js';
import { teamsCloud } from './cloud.js';
import { createFileHosts, type FileHostsOptions } from './file-hosts.js';
import { createFileOffers } from './files.js';
import { createBotFramework } from './framework.js';
import { acceptLater, runStored, tellLost } from './later.js';
import { createRefStore } from './refs.js';
import { createTeamsSender } from './sender.js';

export interface TeamsAdapter {
  /** Mounts `POST /api/messages` on the HTTP server (adapters/http/server.ts). */
  mount(app: Express): void;
  /** For the delivery worker: direct messages, decision cards, card updates and files in Teams. */
  sender: PlatformSender;
  /** Resolves once every message answered after its 200 here has been answered. */
  settled(): Promise<void>;
  /** Takes no more work: what runs finishes within `graceMs`, what waits is left to the next instance. */
  stop(graceMs?: number): Promise<void>;
}

export interface TeamsAdapterOptions {
  deps: AppDeps;
  config: Config;
  logger?: Logger;
  /** Activities worked on at once, and how many may wait before new ones are answered 503 (defaults 8 and 500). */
  turns?: { concurrency: number; backlog: number };
  /** Typed commands answered after the 200 (src/app/durable-work.ts); `sole` on the embedded database. */
  durableWork?: {
    leaseMs?: number;
    pollMs?: number;
    recordTimeoutMs?: number;
    waitMs?: number;
    sole?: boolean;
    /** Messages kept while the database does not answer are also written here (in DATA_DIR). */
    spoolFile?: string;
  };
  /** Where files are downloaded from and uploaded to, and how long that may take (file-hosts.ts). */
  files?: FileHostsOptions;
}

/** The store's work items, read at each call: the adapter starts even while the database does not answer. */
function workOf(deps: AppDeps): WorkRepository {
  return {
    accept: (...args) => deps.store.work.accept(...args),
    claim: (...args) => deps.store.work.claim(...args),
    extend: (...args) => deps.store.work.extend(...args),
    finish: (...args) => deps.store.work.finish(...args),
    release: (...args) => deps.store.work.release(...args),
    purge: (...args) => deps.store.work.purge(...args),
    openCount: () => deps.store.work.openCount(),
  };
}

/** The largest activity taken, in bytes (Teams' own messages are at most about 100 KB). */
const ACTIVITY_LIMIT = 1024 * 1024;

/**
 * Microsoft Teams over the Bot Framework. Authenticated with the MICROSOFT_APP_*
 * settings; without an app ID only when TEAMS_ALLOW_UNAUTHENTICATED=true (logged as a warning).
 */
export function createTeamsAdapter({
  deps,
  config,
  logger = pino({ level: config.LOG_LEVEL }),
  turns = { concurrency: 8, backlog: 500 },
  durableWork,
  files: fileHostsOptions,
}: TeamsAdapterOptions): TeamsAdapter {
  const log = logger.child({ surface: 'teams' });
  const framework = createBotFramework(config, log);
  const refs = createRefStore(deps.store, deps.now);
  const fileHosts = createFileHosts(teamsCloud(config), {
    extraDomains: config.TEAMS_FILE_HOST_DOMAINS,
    ...fileHostsOptions,
  });
  const files = createFileOffers(config.MICROSOFT_APP_PASSWORD, fileHosts);
  const ctx: TeamsContext = { deps, config, logger: log, refs, files, fileHosts, framework };
  // Typed commands are answered after their 200, a few at a time; when this backlog is full they stay
  // recorded for whichever instance has room first.
  const answers = new WorkQueue({
    concurrency: turns.concurrency,
    capacity: turns.backlog,
    onError: (err) => log.error({ err: { message: (err as Error)?.message } }, 'teams: answer failed'),
  });
  const durable = new DurableWork({
    work: workOf(deps),
    surface: 'teams',
    queue: answers,
    run: (item) => runStored(ctx, item),
    abandon: (request) => tellLost(ctx, request),
    ...durableWork,
    onError: (err, what) => log.error({ err: { message: (err as Error)?.message } }, `teams: ${what}`),
  });
  const handler = createTurnHandler(ctx, acceptLater(ctx, durable));
  const sender = createTeamsSender({ deps, config, framework, refs, files, logger: log });
  // Teams waits for each activity's HTTP answer (an invoke's is the updated card; a message's is given
  // once it is recorded): a few at a time, so a flood cannot take every connection to the database and
  // all the memory; beyond the backlog, 503.
  const queue = new WorkQueue({
    concurrency: turns.concurrency,
    capacity: turns.backlog,
    onError: (err) => log.error({ err: { message: (err as Error)?.message } }, 'teams: activity failed'),
  });
  // Before an activity's body is read: without a bearer token (when tokens are checked) it is refused at
  // once, and its bytes count against what the bodies being read may hold together.
  const budget = new BodyBudget(16 * ACTIVITY_LIMIT, ACTIVITY_LIMIT);
  const tokensChecked = Boolean(config.MICROSOFT_APP_ID);
  const bodyGate: RequestHandler = (req, res, next) => {
    if (tokensChecked && !/^Bearer \S/i.test(req.headers.authorization ?? '')) {
      log.warn('teams: activity without a token, refused before reading it');
      res.setHeader('connection', 'close');
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    const room = budget.reserve(req, res);
    if (room === 'ok') next();
    else {
      log.warn({ status: room }, 'teams: activity body not read');
      refuseBody(res, room);
    }
  };
  return {
    sender,
    settled: () => answers.drained(),
    stop: (graceMs = 5000) => durable.stop(graceMs),
    mount(app) {
      durable.start();
      // A body that is not JSON, too large or badly encoded, and any failure here, go on to the HTTP
      // server's error answer (adapters/http/errors.ts): JSON, no stack, logged.
      app.post('/api/messages', bodyGate, express.json({ limit: ACTIVITY_LIMIT }), async (req, res) => {
        // The SDK throws on a body without an activity type, which would read as our failure (500).
        if (typeof (req.body as { type?: unknown } | undefined)?.type !== 'string') {
          res.status(400).json({ error: 'the request body is not a Bot Framework activity' });
          return;
        }
        let done: () => void = () => undefined;
        let failed: (err: unknown) => void = () => undefined;
        const finished = new Promise<void>((resolve, reject) => {
          done = resolve;
          failed = reject;
        });
        const accepted = queue.offer(() => framework.handle(req, res, handler).then(done, failed));
        if (!accepted) {
          log.warn('teams: too many activities waiting, one refused with 503');
          res.status(503).set('retry-after', '5').json({ error: 'busy, try again shortly' });
          return;
        }
        await finished;
      });
      app.all('/api/messages', onlyMethods('POST'));
    },
  };
}
