import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../adapters/cli/commands.js';
import { openRuntime } from '../../adapters/cli/compose.js';
import { DEMO_INVENTORY } from '../../adapters/cli/demo-inventory.js';
import { runJobsOnce } from '../../adapters/cli/start.js';
import { outbox } from '../../db/schema.js';
import { markPlatformsServed } from '../../src/app/served-platforms.js';
import { loadConfig, type Config } from '../../src/config.js';
import { msg } from '../../src/i18n/index.js';
import { copyEmbeddedTemplate } from '../support/db.js';

/**
 * `transfer-bot jobs run` from cron with no chat credentials, on the embedded database: what it delivers
 * goes to the console's inbox. A person the bot serves on Slack must not have their message taken there,
 * or it never reaches Slack when the bot starts again.
 */
describe('jobs run without chat credentials, on the embedded database', { timeout: 120_000 }, () => {
  let dir: string;
  let config: Config;
  let written = 0;

  beforeAll(async () => {
    dir = copyEmbeddedTemplate();
    const loaded = loadConfig({ DATA_DIR: dir });
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    config = loaded.config;
    await onDatabase((deps) => importFile(deps, DEMO_INVENTORY));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Deps = Awaited<ReturnType<typeof openRuntime>>['deps'];
  async function onDatabase<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
    const runtime = await openRuntime(config, { migrate: true });
    try {
      return await work(runtime.deps);
    } finally {
      await runtime.close();
    }
  }

  /** A message to Marie (linked on Slack and Teams) and one to Lucas (linked nowhere); their dedupe keys. */
  const queueTwo = () =>
    onDatabase(async (deps) => {
      const keys = { marie: `jobs-waiting:${++written}`, lucas: `jobs-waiting:${++written}` };
      const marie = await deps.store.users.findUser({ email: 'marie.dupont@lumiere-reseaux.fr' });
      const lucas = await deps.store.users.findUser({ email: 'lucas.martin@lumiere-reseaux.fr' });
      const text = msg('core:reply.exported', { name: 'AT-WAITING.xlsx' });
      await deps.store.outbox.enqueue(deps.now(), [
        { dedupeKey: keys.marie, recipientUserId: marie!.id, payload: { type: 'message', text } },
        { dedupeKey: keys.lucas, recipientUserId: lucas!.id, payload: { type: 'message', text } },
      ]);
      return keys;
    });
  const rowOf = async (key: string) => {
    const { openDatabase } = await import('../../db/client.js');
    const database = await openDatabase({ dataDir: dir });
    try {
      return (await database.db.select().from(outbox).where(eq(outbox.dedupeKey, key)))[0];
    } finally {
      await database.close();
    }
  };

  it('delivers everything to the console while the database has never been served on a chat platform', async () => {
    const keys = await queueTwo();
    const summary = JSON.parse(await runJobsOnce(config)) as { deliveries: Record<string, number> };
    expect(summary.deliveries).toMatchObject({ sent: 2, waitingForPlatform: 0 });
    expect((await rowOf(keys.marie))?.deliveredTo).toMatchObject({ deliveries: [{ platform: 'console' }] });
  });

  it('leaves the message of a person linked on Slack for Slack once `start` has served Slack, and says so', async () => {
    await onDatabase((deps) => markPlatformsServed(deps, ['slack']));
    const keys = await queueTwo();
    const summary = JSON.parse(await runJobsOnce(config)) as { deliveries: Record<string, number> };
    expect(summary.deliveries).toMatchObject({ sent: 1, waitingForPlatform: 1, dead: 0, unreachable: 0 });
    // Marie's waits, untouched and with no attempt counted, for the bot to deliver it on Slack.
    expect(await rowOf(keys.marie)).toMatchObject({ state: 'pending', attempts: 0, deliveredTo: null });
    // Lucas is on no platform: the console's inbox is where he reads it, as before.
    expect(await rowOf(keys.lucas)).toMatchObject({
      state: 'sent',
      deliveredTo: { deliveries: [{ platform: 'console' }] },
    });
    // Run again from cron: still waiting, never given up.
    const again = JSON.parse(await runJobsOnce(config)) as { deliveries: Record<string, number> };
    expect(again.deliveries).toMatchObject({ dead: 0, unreachable: 0 });
    expect(await rowOf(keys.marie)).toMatchObject({ state: 'pending', attempts: 0 });
  });
});
