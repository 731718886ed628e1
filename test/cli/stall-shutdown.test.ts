import { describe, expect, it } from 'vitest';
import { postSignedCommand, SIGNING_SECRET, useSlackProcesses } from '../support/bot-process.js';
import { startProxiedDatabase } from '../support/proxied-database.js';

/** What the README promises from SIGTERM to the process's end. */
const STOPS_WITHIN_MS = 10_000;

describe.skipIf(!process.env.TEST_DATABASE_URL)('SIGTERM while PostgreSQL does not answer', () => {
  const processes = useSlackProcesses();

  it('exits 0 within ten seconds, with a command and a health check waiting on the database', async () => {
    const database = await startProxiedDatabase();
    try {
      const bot = await processes.start({ DATABASE_URL: database.proxiedUrl });
      database.proxy.stall();
      // A command acknowledged during the stall, its work waiting on the database; a health check too.
      const acked = await postSignedCommand(bot, SIGNING_SECRET, {
        text: 'list',
        user_id: 'UALICE',
        response_url: processes.slack.responseUrl(),
        trigger_id: 'trigger-stall',
      });
      expect(acked.status).toBe(200);
      void fetch(`${bot.base}/healthz`).catch(() => undefined);

      const signalledAt = Date.now();
      bot.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        bot.exit,
        new Promise<'still running'>((resolve) => {
          timer = setTimeout(() => resolve('still running'), STOPS_WITHIN_MS + 5_000);
        }),
      ]).finally(() => clearTimeout(timer));
      expect(code, bot.logs()).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(STOPS_WITHIN_MS);
    } finally {
      await database.close();
    }
  }, 120_000);
});
