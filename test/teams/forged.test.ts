import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, history, transfers } from '../../db/schema.js';
import { requestTransfer } from '../../src/app/request.js';
import { submitTransfer } from '../../src/app/actions.js';
import { cardText, executeActions, type BotConnector } from '../support/bot-connector.js';
import type { TestDatabase } from '../support/db.js';
import { startTeamsWorld, teamsUser, type TeamsClient, type TeamsWorld } from '../support/teams.js';
import { toBelgium } from '../support/transfers.js';
import { actor, EMAILS } from '../support/world.js';

const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob);
const carol = teamsUser('carol', 'Carol Durand', EMAILS.carol);
const eve = teamsUser('eve', 'Eve Nobody', 'eve@elsewhere.example');
const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);

type Answer = { statusCode: number; type: string; value: unknown };

describe('Teams: forged card actions change nothing and are answered with a message', () => {
  let world: TeamsWorld;
  let database: TestDatabase;
  let deps: TeamsWorld['deps'];
  let connector: BotConnector;
  let teams: TeamsClient;
  let id = '';

  const snapshot = async () => ({
    transfer: (await database.db.select().from(transfers).where(eq(transfers.id, id)))[0],
    consents: await database.db.select().from(consents).where(eq(consents.transferId, id)),
  });

  beforeAll(async () => {
    world = await startTeamsWorld('pglite', [alice, bob, carol, eve]);
    ({ database, deps, connector, teams } = world);
    const requester = await actor(database.db, 'alice', 'slack');
    const requested = await requestTransfer(deps, requester, toBelgium('SO:100-1', 'Brussels'));
    if (!requested.ok) throw new Error('request refused');
    id = requested.value.state.id;
    await submitTransfer(deps, requester, id);
  });
  afterAll(() => world?.close());

  async function expectMessage(res: { status: number; body: unknown }, contains: string) {
    expect(res.status).toBe(200);
    const answer = res.body as Answer;
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(answer.value).toEqual(expect.stringContaining(contains));
  }

  it('refuses a consent click from someone who is not the transferee', async () => {
    const before = await snapshot();
    await expectMessage(
      await teams.execute(carol, 'consent_approve', { transactionId: id, decision: 'consent:transferee' }),
      'Your consent is not requested',
    );
    expect(await snapshot()).toEqual(before);
    const audit = await database.db
      .select()
      .from(history)
      .where(and(eq(history.transferId, id), like(history.action, 'refused.%')));
    expect(audit.map((h) => h.action)).toContain('refused.consent.approve');
  });

  it('refuses a compliance verb from someone without the compliance role', async () => {
    const before = await snapshot();
    await expectMessage(
      await teams.execute(bob, 'compliance_approve', { transactionId: id, decision: 'compliance' }),
      'Only a compliance officer',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a transaction that does not exist, and one that is not a transaction id', async () => {
    const before = await snapshot();
    await expectMessage(
      await teams.execute(bob, 'consent_approve', { transactionId: 'AT-ZZZZZZZZ' }),
      'AT-ZZZZZZZZ was not found',
    );
    await expectMessage(
      await teams.execute(bob, 'consent_approve', { transactionId: 'DROP TABLE' }),
      'This card is no longer valid',
    );
    await expectMessage(await teams.execute(bob, 'consent_approve', {}), 'This card is no longer valid');
    expect(await snapshot()).toEqual(before);
  });

  it('redraws a transfer card whose Submit the transfer has moved past, without its stale buttons', async () => {
    const before = await snapshot();
    const res = await teams.execute(alice, 'transfer_submit', { transactionId: id, card: 'transfer' });
    const answer = res.body as Answer;
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toContain('you cannot submit it now');
    expect(executeActions(answer.value).map((a) => a.verb)).not.toContain('transfer_submit');
    expect(executeActions(answer.value).map((a) => a.verb)).not.toContain('transfer_cancel');
    expect(await snapshot()).toEqual(before);
  });

  it('answers a reason too long on the card itself, with its length and the limit, not as a broken card', async () => {
    const before = await snapshot();
    const res = await teams.execute(bob, 'consent_reject', {
      transactionId: id,
      decision: 'consent:transferee',
      reason: 'x'.repeat(5000),
    });
    const answer = res.body as Answer;
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toContain(
      'Reason is too long: 5,000 characters, where at most 2,000 are allowed.',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('asks to confirm a reject without a reason before anything is cancelled; confirmed, it rejects', async () => {
    const requester = await actor(database.db, 'alice', 'slack');
    const other = await requestTransfer(deps, requester, toBelgium('SN:FOC0001', 'Brussels'));
    if (!other.ok) throw new Error('request refused');
    const otherId = other.value.state.id;
    await submitTransfer(deps, requester, otherId);
    const statusOf = async () =>
      (await database.db.select().from(transfers).where(eq(transfers.id, otherId)))[0]?.status;

    const asked = (
      await teams.execute(bob, 'consent_reject', { transactionId: otherId, decision: 'consent:transferee' })
    ).body as Answer;
    expect(asked.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(asked.value)).toContain('Reject without a reason?');
    const confirm = executeActions(asked.value).find((a) => a.verb === 'consent_reject')!;
    expect(confirm.title).toBe('Confirm rejection');
    expect(confirm.data).toMatchObject({ transactionId: otherId, confirm: true });
    expect(await statusOf()).toBe('awaiting_consent');

    // From the transfer card (`show`) likewise; confirmed there, it rejects.
    await teams.message(bob, `show ${otherId}`);
    const reject = executeActions(connector.cards(bob.chat).at(-1)!.card).find(
      (a) => a.verb === 'consent_reject',
    )!;
    const onTransfer = (await teams.execute(bob, 'consent_reject', reject.data)).body as Answer;
    expect(cardText(onTransfer.value)).toContain('Reject without a reason?');
    const confirmHere = executeActions(onTransfer.value).find((a) => a.verb === 'consent_reject')!;
    expect(confirmHere.data).toMatchObject({ card: 'transfer', confirm: true });
    expect(await statusOf()).toBe('awaiting_consent');
    await teams.execute(bob, 'consent_reject', confirmHere.data);
    expect(await statusOf()).toBe('cancelled');
    // The decision card's confirmation, clicked after, is told what was decided.
    const late = (await teams.execute(bob, 'consent_reject', confirm.data)).body as Answer;
    expect(executeActions(late.value)).toEqual([]);
  });

  it('answers another verb with who already decided, the same one as the first time, and keeps the first decision', async () => {
    // Bob answers from "show" (the transfer card), not from the consent card he was sent.
    await teams.message(bob, `show ${id}`);
    const shown = connector.cards(bob.chat).at(-1)!.card;
    const buttons = executeActions(shown);
    expect(buttons.map((b) => b.verb)).toEqual(['consent_approve', 'consent_reject']);
    const first = await teams.execute(bob, 'consent_approve', buttons[0]!.data);
    const answer = first.body as Answer;
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(answer.value)).toContain(`Your consent to transaction ${id} is recorded`);
    expect(executeActions(answer.value)).toEqual([]);
    const after = await snapshot();
    expect(after.transfer?.status).toBe('compliance_screening');
    // A card clicked again is drawn as it is now, with no buttons left: Reject is told what was decided;
    // Approve again (a double click) reads as the first did, and nothing more is recorded.
    const rejected = (
      await teams.execute(bob, 'consent_reject', { transactionId: id, reason: 'changed my mind' })
    ).body as Answer;
    expect(rejected.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(rejected.value)).toContain('already decided');
    expect(executeActions(rejected.value)).toEqual([]);
    const repeated = (await teams.execute(bob, 'consent_approve', { transactionId: id })).body as Answer;
    expect(repeated.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(repeated.value)).toContain('Compliance Screening');
    expect(cardText(repeated.value)).not.toContain('already decided');
    expect(executeActions(repeated.value)).toEqual([]);
    expect((await snapshot()).transfer).toEqual(after.transfer);
  });

  it('refuses someone the inventory does not know, and a verb nobody handles', async () => {
    const before = await snapshot();
    await expectMessage(
      await teams.execute(eve, 'compliance_reject', { transactionId: id, reason: 'x' }),
      'You are not in the inventory',
    );
    await expectMessage(
      await teams.execute(bob, 'delete_everything', { transactionId: id }),
      'does nothing here',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('does not show a card to someone who may not see the transfer, even through a refresh', async () => {
    const res = await teams.execute(carol, 'refresh', { transactionId: id, decision: 'compliance' });
    // Carol administers the source account, so she may see it; Eve may not.
    expect((res.body as Answer).type).toBe('application/vnd.microsoft.card.adaptive');
    const outsider = teamsUser('eve-in-inventory', 'Eve Nobody', EMAILS.eve);
    connector.roster.set(outsider.id, { id: outsider.id, name: outsider.name, email: outsider.email });
    const hidden = await teams.execute(outsider, 'refresh', { transactionId: id, decision: 'compliance' });
    await expectMessage(hidden, 'was not found');
    // A refresh naming no card: not "not found" to someone who may see the transfer.
    await expectMessage(
      await teams.execute(carol, 'refresh', { transactionId: id }),
      'This card is no longer valid',
    );
  });
});
