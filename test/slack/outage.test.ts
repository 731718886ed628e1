import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportFooter } from '../../src/app/guides.js';
import { translate } from '../../src/i18n/index.js';
import type { TestDatabase } from '../support/db.js';
import type { SlackApiStandIn } from '../support/slack-api.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { testDeps } from '../support/world.js';
import {
  interactionBody,
  cardClick,
  SLACK,
  startProxiedBot,
  type ProxiedBot,
  type SlackInstance,
} from './harness.js';

const GENERIC_FR = `${translate('fr', 'core:failure.nothingChanged')}\n${supportFooter('fr', undefined)}`;
const GENERIC_EN = `${translate('en', 'core:failure.nothingChanged')}\n${supportFooter('en', undefined)}`;

const OUTAGE_MS = 10_000;

/**
 * The bot's pool reaches PostgreSQL through a proxy the test cuts for ten seconds, as a network partition
 * or a server restart would; the test itself reads the database directly.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a database outage (PostgreSQL)', () => {
  let world: ProxiedBot;
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let api: SlackApiStandIn;
  let bot: SlackInstance;
  let deps: ReturnType<typeof testDeps>;
  let healthz: string;
  let slash: ProxiedBot['slash'];
  let answerTo: ProxiedBot['answerTo'];

  beforeAll(async () => {
    world = await startProxiedBot();
    ({ direct, proxy, api, bot, deps, healthz, slash, answerTo } = world);
  }, 60_000);

  afterAll(() => world?.close());

  it('while cut: /healthz says 503, a click is told nothing changed, a command to try again; once restored everything works without a restart', async () => {
    const id = await awaitingConsent(deps, 'SO:100-1');
    const card = { channel: 'DUBOB', ts: '1700000001.000100' };
    const before = await statusOf(direct.db, id);
    expect((await fetch(healthz)).status).toBe(200);
    expect(proxy.open()).toBeGreaterThan(0);

    await proxy.cut();
    const cutAt = Date.now();
    let since = api.count();

    const health = await fetch(healthz);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false });

    // Bob approves while the database cannot be reached: he is told, and nothing changed.
    const clicked = await bot.post(
      interactionBody(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card)),
      'application/x-www-form-urlencoded',
    );
    expect(clicked.status).toBe(200);
    const told = await api.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK.bob.id, {
      since,
      timeoutMs: OUTAGE_MS,
    });
    expect(told.args).toMatchObject({ channel: card.channel, text: GENERIC_EN });

    // Alice types a command: she is told something went wrong, to try again.
    const during = await slash(SLACK.alice.id, 'list');
    expect((await answerTo(during, since, OUTAGE_MS)).args.text).toBe(GENERIC_FR);
    expect(Date.now() - cutAt).toBeLessThan(OUTAGE_MS);
    expect((await fetch(healthz)).status).toBe(503);

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - cutAt)));
    expect(await statusOf(direct.db, id)).toBe(before);
    expect(await historyOf(direct.db, id, 'consent.approve')).toEqual([]);
    expect(api.calls('chat.update').filter((c) => c.args.ts === card.ts)).toEqual([]);

    await proxy.restore();
    since = api.count();
    const restoredAt = Date.now();

    // The same process, the same pool: health, a new command and a click all work again.
    expect((await fetch(healthz)).status).toBe(200);
    const after = await answerTo(await slash(SLACK.alice.id, `show ${id}`), since);
    expect(after.args.text).not.toBe(GENERIC_FR);
    expect(JSON.stringify(after.args)).toContain(id);
    // Back within a second or two, not after the driver's growing wait between attempts.
    expect(Date.now() - restoredAt).toBeLessThan(3_000);

    await bot.post(
      interactionBody(cardClick(SLACK.bob.id, 'consent_approve', id, 'consent:transferee', card)),
      'application/x-www-form-urlencoded',
    );
    await api.waitFor('chat.update', (c) => c.args.ts === card.ts, { since, timeoutMs: 20_000 });
    expect(await statusOf(direct.db, id)).toBe('compliance_screening');
    expect(await historyOf(direct.db, id, 'consent.approve')).toHaveLength(1);
  }, 90_000);

  it('a network that drops packets rather than refusing: /healthz says 503 within seconds instead of hanging, and the bot carries on once it passes again', async () => {
    expect((await fetch(healthz)).status).toBe(200);
    proxy.stall();
    const stalledAt = Date.now();
    const health = await fetch(healthz, { signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(503);
    expect(Date.now() - stalledAt).toBeLessThan(5_000);

    await proxy.restore();
    const since = api.count();
    expect((await fetch(healthz)).status).toBe(200);
    const answer = await answerTo(await slash(SLACK.alice.id, 'list'), since);
    expect(answer.args.text).not.toBe(GENERIC_FR);
  }, 60_000);
});
