import { describe, expect, it } from 'vitest';
import { supportFooter } from '../../src/app/guides.js';
import { translate } from '../../src/i18n/index.js';
import { cardText, type AdaptiveCardJson } from '../support/bot-connector.js';
import { drivers } from '../support/db.js';
import { failReadsOf, failWrites } from '../support/failing-writes.js';
import { useTeamsWorld, teamsUser } from '../support/teams.js';
import { awaitingConsent, historyOf, statusOf } from '../support/transfers.js';
import { EMAILS } from '../support/world.js';

const alice = teamsUser('alice', 'Alice Martin', EMAILS.alice);
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'fr-FR');

type CardBody = { statusCode: number; type: string; value: AdaptiveCardJson | string };

describe.each(drivers)('Teams: a failure on our side after a click (%s)', (driver) => {
  const world = useTeamsWorld(driver, [alice, bob]);

  const snapshot = async (id: string) => ({
    status: await statusOf(world.database.db, id),
    history: (await historyOf(world.database.db, id)).length,
  });

  it('Action.Execute while the database fails mid-way: a message in the clicker’s language, nothing changed', async () => {
    const id = await awaitingConsent(world.deps, 'SO:100-1');
    const before = await snapshot(id);
    const heal = await failWrites(world.database.db);
    try {
      const res = await world.teams.execute(bob, 'consent_approve', {
        transactionId: id,
        decision: 'consent:transferee',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: `${translate('fr', 'core:failure.nothingChanged')}\n\n${supportFooter('fr', undefined)}`,
      });
      expect(await snapshot(id)).toEqual(before);
    } finally {
      await heal();
    }
    // Once the database is back, the same click goes through.
    const retried = await world.teams.execute(bob, 'consent_approve', {
      transactionId: id,
      decision: 'consent:transferee',
    });
    expect(cardText((retried.body as CardBody).value as AdaptiveCardJson)).toContain(
      'Demande approuvée par Bob Peeters',
    );
    expect(await statusOf(world.database.db, id)).toBe('compliance_screening');
  });

  it('Action.Execute failing after the decision is recorded: says it is done and how to see it, not that nothing changed', async () => {
    const id = await awaitingConsent(world.deps, 'SO:100-2');
    const heal = await failReadsOf(world.database.db, 'transfer_items');
    try {
      const res = await world.teams.execute(bob, 'consent_approve', {
        transactionId: id,
        decision: 'consent:transferee',
      });
      expect(res.body).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value:
          `C’est fait\u00a0: la transaction ${id} est enregistrée, mais un problème est survenu de notre côté ` +
          `lors de l’affichage du résultat. Tapez show ${id} pour voir où elle en est\u00a0; inutile de ` +
          `recommencer.\n\n${supportFooter('fr', undefined)}`,
      });
    } finally {
      await heal();
    }
    expect(await statusOf(world.database.db, id)).toBe('compliance_screening');
  });

  it('a typed decision failing after it is recorded: the answer in the chat says it is done and how to see it', async () => {
    const id = await awaitingConsent(world.deps, 'SO:103-1');
    const heal = await failReadsOf(world.database.db, 'transfer_items');
    try {
      await world.teams.message(bob, `consent ${id} approve`);
      const said = world.connector.posted(bob.chat).at(-1)?.body as { text?: string } | undefined;
      expect(said?.text).toBe(
        `${translate('fr', 'core:failure.recorded', { id, command: `show ${id}` })}\n\n${supportFooter('fr', undefined)}`,
      );
    } finally {
      await heal();
    }
    expect(await statusOf(world.database.db, id)).toBe('compliance_screening');
  });

  it('a file consent click while the database is down: accepted, and the reason said in the chat (not a 500)', async () => {
    await world.database.close();
    const res = await world.teams.invoke(bob, 'fileConsent/invoke', {
      type: 'fileUpload',
      action: 'decline',
      context: { offer: 'any' },
    });
    expect(res.status).toBe(200);
    const said = world.connector.posted(bob.chat).at(-1)?.body as { text?: string } | undefined;
    expect(said?.text).toBe(
      `${translate('fr', 'core:failure.nothingChanged')}\n\n${supportFooter('fr', undefined)}`,
    );
  });
});
