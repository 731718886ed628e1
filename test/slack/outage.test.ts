import { describe, expect, it } from 'vitest';
import { supportFooter } from '../../src/app/guides.js';
import { translate } from '../../src/i18n/index.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { interactionBody, cardClick, SLACK, useProxiedBot } from './harness.js';

const GENERIC_FR = `${translate('fr', 'core:failure.nothingChanged')}\n${supportFooter('fr', undefined)}`;
const GENERIC_EN = `${translate('en', 'core:failure.nothingChanged')}\n${supportFooter('en', undefined)}`;

const OUTAGE_MS = 10_000;

/**
 * The bot's pool reaches PostgreSQL through a proxy the test cuts for ten seconds, as a network partition
 * or a server restart would; the test itself reads the database directly.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a database outage (PostgreSQL)', () => {
  const world = useProxiedBot();

  it('while cut: /healthz says 503, a click is told nothing changed, a command to try again; once restored everything works without a restart', async () => {
    const id = await awaitingConsent(world.deps, 'SO:100-1');
    const card = { channel: 'DUBOB', ts: '1700000001.000100' };
    const before = await statusOf(world.direct.db, id);
    expect((await fetch(world.healthz)).status).toBe(200);
    expect(world.proxy.open()).toBeGreaterThan(0);

    await world.proxy.cut();
    const cutAt = Date.now();
    let since = world.api.count();

    const health = await fetch(world.healthz);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false });

    // Bob approves while the database cannot be reached: he is told, and nothing changed.
    const told = await world.clickTold(
      [SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card],
      since,
      OUTAGE_MS,
    );
    expect(told.args).toMatchObject({ channel: card.channel, text: GENERIC_EN });

    // Alice types a command: she is told something went wrong, to try again.
    const during = await world.slash(SLACK.alice.id, 'list');
    expect((await world.answerTo(during, since, OUTAGE_MS)).args.text).toBe(GENERIC_FR);
    expect(Date.now() - cutAt).toBeLessThan(OUTAGE_MS);
    expect((await fetch(world.healthz)).status).toBe(503);

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - cutAt)));
    expect(await statusOf(world.direct.db, id)).toBe(before);
    expect(await historyOf(world.direct.db, id, 'consent.approve')).toEqual([]);
    expect(world.api.calls('chat.update').filter((c) => c.args.ts === card.ts)).toEqual([]);

    await world.proxy.restore();
    since = world.api.count();
    const restoredAt = Date.now();

    // The same process, the same pool: health, a new command and a click all work again.
    expect((await fetch(world.healthz)).status).toBe(200);
    const after = await world.answerTo(await world.slash(SLACK.alice.id, `show ${id}`), since);
    expect(after.args.text).not.toBe(GENERIC_FR);
    expect(JSON.stringify(after.args)).toContain(id);
    // Back within a second or two, not after the driver's growing wait between attempts.
    expect(Date.now() - restoredAt).toBeLessThan(3_000);

    await world.bot.post(
      interactionBody(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card)),
      'application/x-www-form-urlencoded',
    );
    await world.api.waitFor('chat.update', (c) => c.args.ts === card.ts, { since, timeoutMs: 20_000 });
    expect(await statusOf(world.direct.db, id)).toBe('compliance_screening');
    expect(await historyOf(world.direct.db, id, 'consent.approve')).toHaveLength(1);
  }, 90_000);

  it('a network that drops packets rather than refusing: /healthz says 503 within seconds instead of hanging, and the bot carries on once it passes again', async () => {
    expect((await fetch(world.healthz)).status).toBe(200);
    world.proxy.stall();
    const stalledAt = Date.now();
    const health = await fetch(world.healthz, { signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(503);
    expect(Date.now() - stalledAt).toBeLessThan(5_000);

    await world.proxy.restore();
    const since = world.api.count();
    expect((await fetch(world.healthz)).status).toBe(200);
    const answer = await world.answerTo(await world.slash(SLACK.alice.id, 'list'), since);
    expect(answer.args.text).not.toBe(GENERIC_FR);
  }, 60_000);
});
