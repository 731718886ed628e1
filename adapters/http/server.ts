import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
import type { HealthCheck } from '../../src/app/ports/store.js';
import { registry } from '../../src/app/metrics.js';

/**
 * The one HTTP server (INTERFACES §7): Slack's `POST /slack/events` and Teams' `POST /api/messages` are
 * mounted on it by their adapters; health and metrics live here.
 */
export function createHttpApp(database: HealthCheck): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    const ok = await database.ping();
    res.status(ok ? 200 : 503).json({ ok });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return app;
}

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Starts listening; `close()` stops taking connections and waits for those in flight. */
export function listen(app: Express, port: number, host: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
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
