import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { supportFooter } from '../../src/app/guides.js';
import { translate } from '../../src/i18n/index.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { SLACK, useProxiedBot } from './harness.js';

const GENERIC_FR = `${translate('fr', 'core:failure.nothingChanged')}\n${supportFooter('fr', undefined)}`;
const GENERIC_EN = `${translate('en', 'core:failure.nothingChanged')}\n${supportFooter('en', undefined)}`;

/** The bot's deadline on the server's answers in this test (ten seconds in production). */
const DEADLINE_MS = 1_500;
/** Recording the request (1 s at most), the deadline, a new connection's own, and the answer's way out. */
const ANSWERED_WITHIN_MS = 6_000;

/**
 * The bot's pool reaches PostgreSQL through a proxy that holds every byte, as a network dropping packets
 * does: nothing is refused, nothing answers. The test reads the database directly.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a database that stops answering (PostgreSQL)', () => {
  const world = useProxiedBot({ answerDeadlineMs: DEADLINE_MS, connectDeadlineMs: 1_000 });

  /** Whether a session on the test database other than this one is still in a statement or a transaction. */
  const busySessions = async () =>
    rowsOf<{ n: number }>(
      await world.direct.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')`,
      ),
    )[0]!.n;

  it('while the network holds every packet: /healthz says 503, a click and a command are told within the deadline that nothing changed, and the click is not applied once the network passes again', async () => {
    const id = await awaitingConsent(world.deps, 'SO:100-1');
    const card = { channel: 'DUBOB', ts: '1700000001.000100' };
    const before = await statusOf(world.direct.db, id);
    expect((await fetch(world.healthz)).status).toBe(200);

    world.proxy.stall();
    const stalledAt = Date.now();
    const since = world.api.count();

    const health = await fetch(world.healthz, { signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(503);

    // Bob approves while nothing passes: he is told, within the deadline, that nothing changed.
    const told = await world.clickTold(
      [SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card],
      since,
      ANSWERED_WITHIN_MS,
    );
    expect(told.args).toMatchObject({ channel: card.channel, text: GENERIC_EN });

    // Alice types a command: she is told something went wrong, to try again.
    const typedAt = Date.now();
    const during = await world.slash(SLACK.alice.id, 'list');
    expect((await world.answerTo(during, since, ANSWERED_WITHIN_MS)).args.text).toBe(GENERIC_FR);
    expect(Date.now() - typedAt).toBeLessThan(ANSWERED_WITHIN_MS);
    expect((await fetch(world.healthz, { signal: AbortSignal.timeout(10_000) })).status).toBe(503);
    expect(Date.now() - stalledAt).toBeLessThan(3 * ANSWERED_WITHIN_MS);

    await world.proxy.restore();
    const after = world.api.count();
    // The bot answers again, and every session it had open has finished what the network held.
    const shown = await world.answerTo(await world.slash(SLACK.alice.id, `show ${id}`), after, 10_000);
    expect(JSON.stringify(shown.args)).toContain(id);
    for (let tries = 0; (await busySessions()) > 0; tries++) {
      expect(tries, 'sessions still busy after the network came back').toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Bob was told nothing changed: nothing did.
    expect(await statusOf(world.direct.db, id)).toBe(before);
    expect(await historyOf(world.direct.db, id, 'consent.approve')).toEqual([]);
    expect(world.api.calls('chat.update').filter((c) => c.args.ts === card.ts)).toEqual([]);
  }, 60_000);
});
