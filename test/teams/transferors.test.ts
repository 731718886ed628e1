import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { useTeamsWorld, teamsUser } from '../support/teams.js';
import { statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);
const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);

type CardBody = { statusCode: number; type: string; value: AdaptiveCardJson | string };

describe.each(surfaceDrivers)('Teams: a partner’s request with no transferor named (%s)', (driver) => {
  const world = useTeamsWorld(driver, [paul, alice, carol, bob]);

  it('asks every eligible transferor; the first answer counts and the other’s card says who answered', async () => {
    const { teams, connector, deps, bot, database } = world;
    const deliver = () => drainOutbox(deps, { senders: [bot.adapter.sender] });
    // Everyone has written to the bot once, so it knows their chats.
    for (const person of [alice, carol, bob]) await teams.message(person, 'help');
    await teams.message(
      paul,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    const created = cardText(connector.cards(paul.chat).at(-1)!.card);
    const id = /AT-[0-9A-Z]{8}/.exec(created)?.[0] ?? '';
    expect(id, created).not.toBe('');
    expect(created).toContain('Alice Martin and Carol Durand as transferor (the first to answer decides)');
    await teams.message(paul, `submit ${id}`);
    await deliver();

    const consentCard = (person: typeof alice) =>
      connector
        .cards(person.chat)
        .map((c) => c.card)
        .find((card) => executeActions(card).some((a) => a.verb === 'consent_approve'));
    for (const person of [alice, carol]) {
      const card = consentCard(person);
      expect(card, person.name).toBeDefined();
      expect(executeActions(card!)[0]?.data).toEqual({ transactionId: id, decision: 'consent:transferor' });
      // The card refreshes itself for both people asked.
      expect(card!.refresh?.userIds?.slice().sort()).toEqual([alice.id, carol.id].sort());
    }

    // While nobody has answered, each one asked is listed as awaited.
    const shown = async () => {
      await teams.message(paul, `show ${id}`);
      return cardText(connector.cards(paul.chat).at(-1)!.card);
    };
    const open = await shown();
    expect(open).toContain('Transferor: Alice Martin has not answered yet.');
    expect(open).toContain('Transferor: Carol Durand has not answered yet.');

    const answered = await teams.execute(carol, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferor',
    });
    expect(executeActions((answered.body as CardBody).value as AdaptiveCardJson)).toEqual([]);
    const before = connector.updates(alice.chat).length;
    await deliver();
    const updates = connector.updates(alice.chat);
    expect(updates.length).toBeGreaterThan(before);
    const redrawn = (updates.at(-1)!.body as { attachments: { content: AdaptiveCardJson }[] }).attachments[0]!
      .content;
    expect(executeActions(redrawn)).toEqual([]);
    expect(cardText(redrawn)).toContain('Carol Durand');

    // Alice's late click on her copy is answered with the decided card; nothing changes.
    const late = await teams.execute(alice, 'consent_reject', {
      transactionId: id,
      decision: 'consent:transferor',
      reason: 'Too late',
    });
    const lateCard = (late.body as CardBody).value as AdaptiveCardJson;
    expect(executeActions(lateCard)).toEqual([]);
    expect(cardText(lateCard)).toContain('Carol Durand');
    expect(await statusOf(database.db, id)).toBe('awaiting_consent');

    // Carol's answer is told once, under her; Alice is no longer listed, as awaited or as consenting.
    const decided = await shown();
    expect(decided.split('Transferor: approved by Carol Durand on')).toHaveLength(2);
    expect(decided).not.toContain('Transferor: Alice Martin');

    // A reason over 2,000 characters is refused on the same live card, and nothing changes.
    const long = await teams.execute(bob, 'consent_reject', {
      transactionId: id,
      decision: 'consent:transferee',
      reason: 'x'.repeat(2001),
    });
    const longCard = (long.body as CardBody).value as AdaptiveCardJson;
    expect(cardText(longCard)).toContain(
      'Reason is too long: 2,001 characters, where at most 2,000 are allowed.',
    );
    expect(executeActions(longCard).map((a) => a.verb)).toEqual(['consent_approve', 'consent_reject']);
    expect(await statusOf(database.db, id)).toBe('awaiting_consent');
  });

  it('names every eligible transferor as a Japanese list to a partner who reads Japanese', async () => {
    const { teams, database } = world;
    // Paul's Teams speaks Japanese.
    const paulInJapanese = { ...paul, locale: 'ja-JP' };
    await teams.message(
      paulInJapanese,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:105-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    const created = cardText(world.connector.cards(paul.chat).at(-1)!.card);
    const id = /AT-[0-9A-Z]{8}/.exec(created)?.[0] ?? '';
    expect(id, created).not.toBe('');
    expect(created).toContain('Alice Martin、Carol Durand の皆さんに譲渡人（転送元）として同意を依頼します');
    expect(created).not.toContain('Alice Martin, Carol Durand');
    await teams.message(paulInJapanese, `submit ${id}`);
    const submitted = cardText(world.connector.cards(paul.chat).at(-1)!.card);
    expect(submitted).toContain('Alice Martin、Carol Durand のいずれかの方が譲渡人（転送元）として同意し');
    expect(await statusOf(database.db, id)).toBe('awaiting_consent');
  });
});
