import { beforeAll, describe, expect, it } from 'vitest';
import type { BotConnector } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { useTeamsWorld, submitButtons, teamsUser, type TeamsUser } from '../support/teams.js';
import { cardText } from '../support/bot-connector.js';
import { awaitingConsent } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';
import { adminOfMany } from '../support/many-accounts.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);
const sixty = teamsUser('sixty', 'Sixty Sites', 'sixty@be.example');

/** The titles of the list card's buttons that open one transaction (`show ID`). */
function showButtons(connector: BotConnector, chat: string, id: string): string[] {
  return submitButtons(connector.cards(chat).at(-1)?.card)
    .filter((button) => button.data.command === `show ${id}`)
    .map((button) => button.title);
}

describe.each(surfaceDrivers)('Teams: the transactions list (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice, paul, cora, sixty]);

  it('asks the transferor of a partner’s request to View / Provide Consent; the partner only to View', async () => {
    // Paul (a partner) asks; Alice, an admin of the source for its own company, must consent as transferor.
    const id = await awaitingConsent(world.deps, 'SO:100-1', { requester: 'paul' });
    await world.teams.message(alice, 'list');
    expect(showButtons(world.connector, alice.chat, id)).toEqual(['View / Provide Consent']);
    await world.teams.message(paul, 'list');
    expect(showButtons(world.connector, paul.chat, id)).toEqual(['View']);
  });

  it('titles a compliance officer’s list, every transaction, as all transactions; an admin’s as theirs', async () => {
    await world.teams.message({ ...cora, locale: 'en-US' }, 'list');
    expect(cardText(world.connector.cards(cora.chat).at(-1)?.card)).toContain('All transactions');
    await world.teams.message({ ...alice, locale: 'en-US' }, 'list');
    expect(cardText(world.connector.cards(alice.chat).at(-1)?.card)).not.toContain('All transactions');
  });

  it('names Smart Accounts in the reader’s brackets: full-width in Japanese, as before in English and French', async () => {
    const id = await awaitingConsent(world.deps, 'SO:105-1');
    /** What Alice's Teams, set to this language, shows for each command. */
    const seen = async (locale: string, commands: string[]) => {
      const reader: TeamsUser = { ...alice, locale };
      const shown: string[] = [];
      for (const command of commands) {
        await world.teams.message(reader, command);
        shown.push(cardText(world.connector.cards(alice.chat).at(-1)?.card));
      }
      return shown.join('\n');
    };
    const commands = ['accounts', 'list fr-a.example', `show ${id}`, 'assets be.example'];
    const ja = await seen('ja-JP', commands);
    expect(ja).toContain('**Lumière Lyon**（fr-a.example）');
    expect(ja).toContain('Lumière Lyon（fr-a.example）'); // the switcher and the rows
    expect(ja).toContain('Lumière Belgique（be.example） / DEFAULT');
    expect(ja).toContain('Lumière Belgique（be.example）のAsset');
    expect(ja).not.toMatch(/ \((?:fr-[ab]|be)\.example\)/);
    const en = await seen('en-US', commands);
    expect(en).toContain('**Lumière Lyon** (fr-a.example)');
    expect(en).toContain('Lumière Belgique (be.example) / DEFAULT');
    expect(en).toContain('Assets of Lumière Belgique (be.example)');
    const fr = await seen('fr-FR', commands);
    expect(fr).toContain('**Lumière Lyon** (fr-a.example)');
    expect(fr).toContain('Lumière Belgique (be.example) / DEFAULT');
    expect(fr).toContain('Actifs de Lumière Belgique (be.example)');
  });

  describe('for an admin of 63 Smart Accounts', () => {
    beforeAll(() => adminOfMany(world.database, sixty.email, 'sixty', 62));
    const lastCard = () => world.connector.cards(sixty.chat).at(-1)?.card;

    it('says how many more accounts match than the accounts card shows: of all 63, not of the first 50', async () => {
      await world.teams.message(sixty, 'accounts');
      const text = cardText(lastCard());
      const shown = text.match(/\*\*Site \d\d\*\*/g)?.length ?? 0;
      expect(shown).toBeGreaterThan(0);
      expect(text).toContain(`${63 - shown} more Smart Accounts are not listed: type accounts TEXT`);
      await world.teams.message(sixty, 'accounts zulu');
      expect(cardText(lastCard())).toContain('Zulu Warehouse');
      expect(cardText(lastCard())).not.toContain('more Smart Account');
    });

    it('offers the current account in the list card’s switcher though it sorts after the first ones', async () => {
      await world.teams.message(sixty, 'use sixty-zulu.example');
      await world.teams.message(sixty, 'list');
      const switcher = JSON.stringify(lastCard()).match(/"id":"useAccount".*?\]/)?.[0] ?? '';
      expect(switcher).toContain('"value":"sixty-zulu.example"');
      expect(switcher).toContain('"title":"Zulu Warehouse (sixty-zulu.example)"');
    });
  });
});
