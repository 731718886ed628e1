import { createServer, type Server } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import pino, { type Logger } from 'pino';
import type { HealthCheck } from '../../src/app/ports/store.js';
import { registry } from '../../src/app/metrics.js';
import { answerUnhandled, jsonErrorBodies, onlyMethods } from './errors.js';

/** The logger each app's unhandled requests and errors are reported to (see `listen`). */
const loggers = new WeakMap<Express, Logger>();

/**
 * The one HTTP server (INTERFACES §7): Slack's `POST /slack/events` and Teams' `POST /api/messages` are
 * mounted on it by their adapters; health and metrics live here. Whatever no route answers, and every
 * error a route passes on, is answered as JSON by `listen` (errors.ts) and logged through `logger`.
 */
export function createHttpApp(database: HealthCheck, logger: Logger = pino({ level: 'silent' })): Express {
  const app = express();
  loggers.set(app, logger.child({ surface: 'http' }));
  app.disable('x-powered-by');
  app.use(jsonErrorBodies);
  app.get('/healthz', async (_req, res) => {
    const ok = await database.ping();
    res.status(ok ? 200 : 503).json({ ok });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.all(['/healthz', '/metrics'], onlyMethods('GET, HEAD'));
  return app;
}

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts listening; `close()` stops taking connections and waits for those in flight. The routes are
 * all mounted by now, so what falls through them gets the JSON answer here rather than Express's own
 * HTML page, which would show a stack to anyone and print it on stderr outside the log.
 */
export function listen(app: Express, port: number, host: string): Promise<Listening> {
  const unhandled = answerUnhandled(loggers.get(app) ?? pino({ level: 'silent' }));
  return new Promise((resolve, reject) => {
    // An Express app takes Node's own request and response (it adds its helpers to them itself);
    // its typings only describe the call with a `next` for the helper-laden ones.
    const server = createServer((req, res) =>
      app(req as Request, res as Response, (err?: unknown) => unhandled(err, req, res)),
    );
    // A client has 10 s to send its headers and 30 s for the whole request (Slack and Teams send theirs at
    // once; Node's defaults are a minute and five), and at most 1,024 connections are open at once: slow
    // or idle clients cannot hold the server's memory and sockets for long.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.maxConnections = 1024;
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
