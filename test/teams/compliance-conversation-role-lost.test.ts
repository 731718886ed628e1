import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../../src/delivery/worker.js';
import { cardText, executeActions, type AdaptiveCardJson } from '../support/bot-connector.js';
import { surfaceDrivers } from '../support/db.js';
import { COMPLIANCE_CONVERSATION, teamsUser, useTeamsWorld } from '../support/teams.js';
import { historyOf, statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const cora = teamsUser('cora', 'Cora Compliance', EMAILS.cora);
const eve = teamsUser('eve', 'Eve Nobody', EMAILS.eve);
const ada = teamsUser('ada', 'Ada Admin', EMAILS.ada);

type Answer = { statusCode: number; type: string; value: AdaptiveCardJson | string };

/**
 * The screening card goes to the compliance team's conversation. Cora, its one officer, loses the role
 * while the screening waits; her Approve or Reject on the conversation's copy is answered as Slack answers
 * a click on its compliance channel's copy: only a compliance officer screens the transaction (not that
 * it does not exist), and nothing changes. So is anyone else in the conversation. A click that names no
 * card the bot posted there learns nothing of the transfer.
 */
describe.each(surfaceDrivers)('Teams: a click on the compliance conversation’s card (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice, bob, cora, eve, ada]);
  const deliver = () => drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
  const messageOf = (answer: { body: unknown }) => {
    const body = answer.body as Answer;
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    return body.value as string;
  };

  it('tells a former officer, and anyone else there, that only a compliance officer screens it', async () => {
    const { teams, connector, database } = world;
    for (const person of [alice, bob, cora, eve, ada]) await teams.message(person, 'help');
    await teams.message(
      alice,
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:104-1 same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
    );
    const id = /AT-[0-9A-Z]{8}/.exec(cardText(connector.cards(alice.chat).at(-1)!.card))?.[0] ?? '';
    await teams.message(alice, `submit ${id}`);
    await deliver();
    await teams.execute(bob, 'consent_approve', { transactionId: id, decision: 'consent:transferee' });
    await deliver();
    const posted = connector
      .cards(COMPLIANCE_CONVERSATION)
      .find(({ card }) => executeActions(card).some((a) => a.data.transactionId === id));
    if (!posted) throw new Error('no screening card in the compliance conversation');
    const copy = { channel: COMPLIANCE_CONVERSATION, activityId: posted.activityId };

    await teams.message(ada, 'revoke cora@compliance.example compliance');
    await deliver();
    const screening = { transactionId: id, decision: 'compliance' };
    const onlyOfficers = `Only a compliance officer can screen transaction ${id}.`;
    expect(messageOf(await teams.execute(cora, 'compliance_approve', screening, copy))).toBe(onlyOfficers);
    expect(
      messageOf(
        await teams.execute(cora, 'compliance_reject', { ...screening, reason: 'Denied party' }, copy),
      ),
    ).toBe(onlyOfficers);
    expect(messageOf(await teams.execute(eve, 'compliance_approve', screening, copy))).toBe(onlyOfficers);
    // A click naming another message of the conversation is no card of this transfer's.
    const elsewhere = { ...copy, activityId: 'activity-0' };
    expect(messageOf(await teams.execute(cora, 'compliance_approve', screening, elsewhere))).toContain(
      `Transaction ${id} was not found`,
    );

    expect(await statusOf(database.db, id)).toBe('compliance_screening');
    const refused = await historyOf(database.db, id);
    expect(
      refused
        .filter((row) => row.action.startsWith('refused.screen'))
        .sort((a, b) => a.id - b.id)
        .map((row) => [row.actor, row.action, row.surface]),
    ).toEqual([
      [EMAILS.cora, 'refused.screen.approve', 'teams'],
      [EMAILS.cora, 'refused.screen.reject', 'teams'],
      [EMAILS.eve, 'refused.screen.approve', 'teams'],
      [EMAILS.cora, 'refused.screen.approve', 'teams'],
    ]);
  });
});
