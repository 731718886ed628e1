import express, { type Express } from 'express';
import pino, { type Logger } from 'pino';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import type { AppDeps } from '../../src/app/deps.js';
import type { Config } from '../../src/config.js';
import { createTurnHandler } from './bot.js';
import { createFileOffers } from './files.js';
import { createBotFramework } from './framework.js';
import { createRefStore } from './refs.js';
import { createTeamsSender } from './sender.js';

export interface TeamsAdapter {
  /** Mounts `POST /api/messages` on the HTTP server (adapters/http/server.ts). */
  mount(app: Express): void;
  /** For the delivery worker: direct messages, decision cards, card updates and files in Teams. */
  sender: PlatformSender;
}

export interface TeamsAdapterOptions {
  deps: AppDeps;
  config: Config;
  logger?: Logger;
}

/**
 * Microsoft Teams over the Bot Framework. Authenticated with the MICROSOFT_APP_*
 * settings; without an app ID only when TEAMS_ALLOW_UNAUTHENTICATED=true (logged as a warning).
 */
export function createTeamsAdapter({
  deps,
  config,
  logger = pino({ level: config.LOG_LEVEL }),
}: TeamsAdapterOptions): TeamsAdapter {
  const log = logger.child({ surface: 'teams' });
  const framework = createBotFramework(config, log);
  const refs = createRefStore(deps.store, deps.now);
  const files = createFileOffers(config.MICROSOFT_APP_PASSWORD);
  const handler = createTurnHandler({ deps, config, logger: log, refs, files, framework });
  const sender = createTeamsSender({ deps, config, framework, refs, files, logger: log });
  return {
    sender,
    mount(app) {
      // A body that is not JSON, too large or badly encoded, and any failure here, go on to the HTTP
      // server's error answer (adapters/http/errors.ts): JSON, no stack, logged.
      app.post('/api/messages', express.json({ limit: '1mb' }), async (req, res) => {
        // The SDK throws on a body without an activity type, which would read as our failure (500).
        if (typeof (req.body as { type?: unknown } | undefined)?.type !== 'string') {
          res.status(400).json({ error: 'the request body is not a Bot Framework activity' });
          return;
        }
        await framework.handle(req, res, handler);
      });
    },
  };
}
