import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformSender } from '../../src/app/delivery-port.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { startBot, teamsClient, teamsUser, type RunningBot } from '../support/teams.js';
import { EMAILS } from '../support/world.js';
import { answerTo, SLACK, useSlack } from './harness.js';

const OLGA = { id: 'UOLGA', email: EMAILS.olga, locale: 'en-US', tz: 'UTC' };
const adaInTeams = teamsUser('ada', 'Ada Admin', EMAILS.ada, 'fr-FR');

const LATER =
  'Olga Ops (olga@ops.example) n’est encore joignable sur aucune plateforme de messagerie et n’a donc pas ' +
  'reçu ce qui suit.';
const TOLD_ADA = 'Ada Admin vous a attribué le rôle «\u00a0Responsable de la conformité\u00a0».';
const TOLD_OLGA = 'Ada Admin gave you the role “Compliance officer”.';
const TOLD_OLGA_ON = 'Ada Admin gave you the role “Smart Account admin” on Lumière Lyon (fr-a.example).';

/**
 * A bot admin gives a role to someone no platform can reach yet (Olga is not in the Slack workspace, and
 * has no Teams id): the bot admin is told so, in their language, on the surface they used, once per
 * change; the person gets each notice when they can be reached, once.
 */
describe.each(surfaceDrivers)('Slack: a role notice to someone out of reach (%s)', (driver) => {
  const h = useSlack(driver);
  let connector: BotConnector;
  let bot: RunningBot;
  beforeAll(async () => {
    connector = await startBotConnector();
    bot = await startBot(h.deps);
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
  });

  const drain = async (senders: PlatformSender[]) => {
    // Twice: what the first drain's give-ups queue goes out in the second.
    await drainOutbox(h.deps, { senders, random: () => 0 });
    await drainOutbox(h.deps, { senders, random: () => 0 });
  };
  const dmTo = (id: string) =>
    h.api
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === id)
      .map((c) => JSON.stringify(c.args));

  it('tells the bot admin in their Slack DM, in French, that Olga will get it once she can be reached', async () => {
    const since = h.api.count();
    const granted = await h.slash(SLACK.ada.id, 'grant olga@ops.example compliance');
    await answerTo(h, granted.responseUrl, { since });
    await drain([h.adapter.sender]);
    const told = dmTo(SLACK.ada.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(LATER);
    expect(told[0]).toContain(TOLD_ADA);
  });

  it('tells the bot admin on Teams when that is where they made the change, though Slack knows them too', async () => {
    connector.roster.set(adaInTeams.id, { id: adaInTeams.id, name: adaInTeams.name, email: EMAILS.ada });
    await teamsClient(bot, connector).message(adaInTeams, 'grant olga@ops.example admin fr-a.example');
    const before = connector.cards(adaInTeams.chat).length;
    await drain([h.adapter.sender, bot.adapter.sender]);
    const inTeams = connector
      .cards(adaInTeams.chat)
      .slice(before)
      .map(({ card }) => cardText(card));
    expect(inTeams).toHaveLength(1);
    expect(inTeams[0]).toContain(LATER);
    expect(inTeams[0]).toContain(
      'Ada Admin vous a attribué le rôle «\u00a0Administrateur du compte Smart\u00a0»',
    );
    expect(dmTo(SLACK.ada.id)).toHaveLength(1);
  });

  it('gives Olga both notices when she first writes to the bot, each once, and nobody is told again', async () => {
    h.api.addPerson(OLGA);
    const writes = async () => {
      const since = h.api.count();
      const helped = await h.slash(OLGA.id, 'help');
      await answerTo(h, helped.responseUrl, { since });
    };
    await writes();
    await drain([h.adapter.sender, bot.adapter.sender]);
    const toOlga = (notice: string) => dmTo(OLGA.id).filter((m) => m.includes(notice));
    expect(toOlga(TOLD_OLGA)).toHaveLength(1);
    expect(toOlga(TOLD_OLGA_ON)).toHaveLength(1);

    await writes();
    await drain([h.adapter.sender, bot.adapter.sender]);
    expect(toOlga(TOLD_OLGA)).toHaveLength(1);
    expect(toOlga(TOLD_OLGA_ON)).toHaveLength(1);
    expect(dmTo(SLACK.ada.id)).toHaveLength(1);
    expect(
      connector.cards(adaInTeams.chat).filter(({ card }) => cardText(card).includes(LATER)),
    ).toHaveLength(1);
  });
});
