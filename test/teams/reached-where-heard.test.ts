import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { startBotConnector, type BotConnector } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { startBot, teamsClient, teamsUser, type RunningBot } from '../support/teams.js';
import { actor, EMAILS } from '../support/world.js';
import { answerTo, startSlack, type SlackHarness } from '../slack/harness.js';

// Alice and Bob are linked on Slack in the inventory (UALICE, UBOB); here they also work in Teams.
const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

describe.each(surfaceDrivers)(
  'Slack and Teams: a person linked on both is reached where they last spoke to the bot (%s)',
  (driver) => {
    let slack: SlackHarness;
    let connector: BotConnector;
    let teamsBot: RunningBot;

    beforeAll(async () => {
      slack = await startSlack(driver);
      connector = await startBotConnector();
      for (const u of [alice, bob]) connector.roster.set(u.id, { id: u.id, name: u.name, email: u.email });
      teamsBot = await startBot(slack.deps);
    });
    afterAll(async () => {
      await teamsBot?.close();
      await connector?.close();
      await slack?.close();
    });

    /** Alice asks Bob for an asset; both platforms deliver what follows. */
    async function requestAndDeliver(asset: string): Promise<string> {
      const requester = await actor(slack.database.db, 'alice', 'console');
      const requested = await requestTransfer(slack.deps, requester, {
        source: { smartAccount: 'fr-a.example' },
        destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
        assets: [parseAssetRef(asset)!],
        sameCompany: false,
        transferee: EMAILS.bob,
        justification: 'Brussels office',
        termsAccepted: true,
      });
      if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
      const submitted = await submitTransfer(slack.deps, requester, requested.value.state.id);
      if (!submitted.ok || submitted.value.status !== 'awaiting_consent')
        throw new Error('not awaiting consent');
      await drainOutbox(slack.deps, {
        senders: [slack.adapter.sender, teamsBot.adapter.sender],
        random: () => 0,
      });
      return requested.value.state.id;
    }

    const inSlack = (channel: string, id: string): number =>
      slack.api
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === channel && JSON.stringify(c.args).includes(id)).length;
    const inTeams = (chat: string, id: string): number =>
      connector.posted(chat).filter((r) => JSON.stringify(r.body).includes(id)).length;

    it('sends the status message and the consent card to Teams after they used Teams, to Slack after they used Slack', async () => {
      const teams = teamsClient(teamsBot, connector);
      await teams.message(alice, 'list');
      await teams.message(bob, 'list');
      slack.deps.advance(60_000);

      const first = await requestAndDeliver('SO:100-1');
      expect(inTeams(bob.chat, first)).toBeGreaterThanOrEqual(1); // his consent card
      expect(inTeams(alice.chat, first)).toBeGreaterThanOrEqual(1); // her status message
      expect(inSlack('UBOB', first)).toBe(0);
      expect(inSlack('UALICE', first)).toBe(0);

      slack.deps.advance(60_000);
      for (const person of ['UALICE', 'UBOB'])
        await answerTo(slack, (await slack.slash(person, 'list')).responseUrl);
      slack.deps.advance(60_000);

      const second = await requestAndDeliver('SO:100-2');
      expect(inSlack('UBOB', second)).toBeGreaterThanOrEqual(1);
      expect(inSlack('UALICE', second)).toBeGreaterThanOrEqual(1);
      expect(inTeams(bob.chat, second)).toBe(0);
      expect(inTeams(alice.chat, second)).toBe(0);
    });
  },
);
