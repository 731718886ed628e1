import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import type { TestDatabase } from '../support/db.js';
import { startProxiedDatabase, type ProxiedDatabase } from '../support/proxied-database.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { startBot, teamsClient, teamsConfig, teamsUser, type RunningBot } from '../support/teams.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { EMAILS, testDeps } from '../support/world.js';

const OUTAGE_MS = 10_000;

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

const textsIn = (connector: BotConnector, chat: string) =>
  connector.posted(chat).map((r) => JSON.stringify(r.body));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The bot's pool reaches PostgreSQL through a proxy the test cuts for ten seconds, as a network partition
 * or a server restart would; the test itself reads the database directly.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('Teams through a database outage (PostgreSQL)', () => {
  let database: ProxiedDatabase;
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let connector: BotConnector;
  let bot: RunningBot;
  let deps: ReturnType<typeof testDeps>;
  let healthz: string;

  beforeAll(async () => {
    database = await startProxiedDatabase();
    ({ direct, proxy } = database);
    const { proxied } = database;
    connector = await startBotConnector();
    for (const u of [alice, bob]) connector.roster.set(u.id, { id: u.id, name: u.name, email: u.email });
    deps = testDeps(proxied.db, new Date());
    bot = await startBot(deps, teamsConfig(), undefined, {
      health: proxied,
      durableWork: { pollMs: 250 },
    });
    healthz = new URL('/healthz', bot.url).toString();
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore();
    await bot?.close().catch(() => undefined);
    await connector?.close();
    await database?.close();
  });

  it('while cut: /healthz says 503, a click is told nothing changed, a typed command is answered once the database is back, without a restart', async () => {
    const teams = teamsClient(bot, connector);
    const id = await awaitingConsent(deps, 'SO:100-1');
    const before = await statusOf(direct.db, id);
    // Both have written to the bot before: their chats are known.
    await teams.message(alice, 'help');
    await teams.message(bob, 'help');
    expect((await fetch(healthz)).status).toBe(200);
    const aliceBefore = connector.posted(alice.chat).length;

    await proxy.cut();
    const cutAt = Date.now();
    const health = await fetch(healthz);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false });

    // Bob approves from the card: the invoke's answer tells him it did not work.
    const click = await teams.execute(bob, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferee',
    });
    expect(click.status).toBe(200);
    expect(click.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining('Something went wrong'),
    });

    // Alice types a command: acknowledged at once, answered later.
    const typedAt = Date.now();
    const typed = await teams.message(alice, `show ${id}`);
    expect(typed.status).toBe(200);
    expect(Date.now() - typedAt).toBeLessThan(3_000);
    expect(Date.now() - cutAt).toBeLessThan(OUTAGE_MS);
    expect((await fetch(healthz)).status).toBe(503);

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - cutAt)));
    expect(connector.posted(alice.chat).length).toBe(aliceBefore);
    expect(await statusOf(direct.db, id)).toBe(before);
    expect(await historyOf(direct.db, id, 'consent.approve')).toEqual([]);

    await proxy.restore();
    const restoredAt = Date.now();
    expect((await fetch(healthz)).status).toBe(200);

    // The command typed during the outage is answered, once, as a reply to it, and not with an apology.
    await until(() => connector.posted(alice.chat).length > aliceBefore, 15_000, 'Alice answered');
    // Nothing more on its way: every message answered after its 200 has been answered.
    await bot.settled();
    const answers = connector.posted(alice.chat).slice(aliceBefore);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.activityId).toBe((typed.activity as { id: string }).id);
    expect(JSON.stringify(answers[0]?.body)).toContain(id);
    expect(JSON.stringify(answers[0]?.body)).not.toContain('Something went wrong');
    expect(Date.now() - restoredAt).toBeLessThan(10_000);

    // The same process, the same pool: a click works again.
    const again = await teams.execute(bob, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferee',
    });
    expect(again.status).toBe(200);
    expect(await statusOf(direct.db, id)).toBe('compliance_screening');
    expect(await historyOf(direct.db, id, 'consent.approve')).toHaveLength(1);
    expect(textsIn(connector, bob.chat).some((t) => t.includes('Something went wrong'))).toBe(false);
  }, 120_000);
});
