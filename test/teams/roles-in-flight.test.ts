import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld, type TeamsUser } from '../support/teams.js';
import { statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const paul = teamsUser('paul', 'Paul Partner', EMAILS.paul);
const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol, 'fr-FR');
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);
const eve = teamsUser('eve', 'Eve Nobody', EMAILS.eve);
const ada = teamsUser('ada', 'Ada Admin', EMAILS.ada, 'fr-FR');

type CardBody = { statusCode: number; type: string; value: AdaptiveCardJson | string };

/**
 * Roles change while a transfer waits, in Teams, with no compliance conversation (screening cards go to
 * each officer): one of two transferors asked loses the role, and compliance is handed over. Each one who
 * lost the role sees their card without buttons, saying why, when Teams redraws it and when they click;
 * the others keep theirs; the new compliance officer gets the screening already waiting.
 */
describe.each(surfaceDrivers)('Teams: roles taken away while a transfer waits (%s)', (driver) => {
  const world = useTeamsWorld(driver, [paul, alice, carol, bob, cora, eve, ada], {
    env: { TEAMS_COMPLIANCE_CONVERSATION_ID: '' },
  });
  const deliver = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
  const decisionCardIn = (person: TeamsUser, verb: string) =>
    world.connector
      .cards(person.chat)
      .map((c) => c.card)
      .find((card) => executeActions(card).some((a) => a.verb === verb));
  const lastUpdateIn = (person: TeamsUser) =>
    (world.connector.updates(person.chat).at(-1)?.body as { attachments: { content: AdaptiveCardJson }[] })
      .attachments[0]!.content;
  const asCard = (answer: { body: unknown }) => (answer.body as CardBody).value as AdaptiveCardJson;

  it('closes the cards of those who lost the role, and brings the new officer the screening', async () => {
    const { teams, connector, database } = world;
    for (const person of [alice, carol, bob, cora, eve, ada]) await teams.message(person, 'help');
    await teams.message(
      paul,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:103-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    const id = /AT-[0-9A-Z]{8}/.exec(cardText(connector.cards(paul.chat).at(-1)!.card))?.[0] ?? '';
    await teams.message(paul, `submit ${id}`);
    await deliver();
    expect(decisionCardIn(carol, 'consent_approve')).toBeDefined();

    // Carol is no longer an admin of the source; Alice still is, and may answer.
    await teams.message(ada, 'revoke carol@fr.example admin fr-a.example');
    await deliver();
    const closed = lastUpdateIn(carol);
    expect(executeActions(closed)).toEqual([]);
    expect(cardText(closed)).toContain('Vous n’êtes plus administrateur du compte Smart');
    expect(connector.updates(alice.chat)).toEqual([]);
    // Teams asks each one for their own view of the card: Carol's has no buttons, Alice's has them.
    const data = { transactionId: id, decision: 'consent:transferor' };
    expect(executeActions(asCard(await teams.execute(carol, 'refresh', data)))).toEqual([]);
    expect(executeActions(asCard(await teams.execute(alice, 'refresh', data))).map((a) => a.verb)).toContain(
      'consent_approve',
    );
    // Carol's click on the card as drawn before is answered with her card, saying why, and nothing changes.
    const clicked = asCard(await teams.execute(carol, 'consent_approve', data));
    expect(executeActions(clicked)).toEqual([]);
    expect(cardText(clicked)).toContain('Vous n’êtes plus administrateur du compte Smart');
    await teams.message(paul, `show ${id}`);
    expect(cardText(connector.cards(paul.chat).at(-1)!.card)).toContain(
      'Transferor: Carol Durand can no longer answer.',
    );

    // Alice and Bob consent: the screening card goes to Cora, the one compliance officer.
    await teams.execute(alice, 'consent_approve', data);
    await teams.execute(bob, 'consent_approve', { transactionId: id, decision: 'consent:transferee' });
    await deliver();
    expect(await statusOf(database.db, id)).toBe('compliance_screening');
    expect(decisionCardIn(cora, 'compliance_approve')).toBeDefined();

    await teams.message(ada, 'revoke cora@compliance.example compliance');
    await teams.message(ada, 'grant eve@nowhere.example compliance');
    await deliver();
    // Cora's card has no buttons any more, and says why; so does her own view of it, and her click.
    const screening = { transactionId: id, decision: 'compliance' };
    const why = 'You are no longer a compliance officer, so you cannot screen transaction';
    expect(executeActions(lastUpdateIn(cora))).toEqual([]);
    expect(cardText(lastUpdateIn(cora))).toContain(why);
    const refreshed = asCard(await teams.execute(cora, 'refresh', screening));
    expect(executeActions(refreshed)).toEqual([]);
    expect(cardText(refreshed)).toContain(why);
    const refused = asCard(await teams.execute(cora, 'compliance_approve', screening));
    expect(executeActions(refused)).toEqual([]);
    expect(cardText(refused)).toContain(why);
    // Eve, the new compliance officer, has the screening already waiting, and decides it.
    expect(decisionCardIn(eve, 'compliance_approve')).toBeDefined();
    await teams.execute(eve, 'compliance_approve', screening);
    expect(await statusOf(database.db, id)).toBe('transfer_completed');
  });
});
