import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleGrants, smartAccounts, virtualAccounts } from '../../db/schema.js';
import { answerJourney, journeyScope, viewJourney } from '../../src/app/journey/service.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { actor, seededDatabase, type testDeps } from '../support/world.js';

/**
 * A partner who administers hundreds of Smart Accounts: the request journey offers the first ones before
 * anything is typed, and finds any of them by what is typed, on every surface (the typeahead, the card's
 * search, a typed answer).
 */
describe.each(drivers)(
  'the request journey for someone who administers 300 Smart Accounts (%s)',
  (driver) => {
    let database: TestDatabase;
    let deps: ReturnType<typeof testDeps>;

    beforeAll(async () => {
      ({ database, deps } = await seededDatabase(driver));
      const alice = await actor(database.db, 'alice');
      const made = await database.db
        .insert(smartAccounts)
        .values(
          Array.from({ length: 300 }, (_, i) => ({
            domain: `client-${String(i).padStart(3, '0')}.example`,
            name: `Client ${String(i).padStart(3, '0')}`,
            legalEntityId: 'fr',
          })),
        )
        .returning({ id: smartAccounts.id });
      await database.db
        .insert(virtualAccounts)
        .values(made.map((sa) => ({ smartAccountId: sa.id, name: 'DEFAULT' })));
      await database.db
        .insert(roleGrants)
        .values(made.map((sa) => ({ userId: alice.userId, smartAccountId: sa.id, role: 'admin' as const })));
    });
    afterAll(() => database.dispose());

    it('takes an account past the first 200 offered, typed or searched', async () => {
      const alice = await actor(database.db, 'alice');
      const offered = await viewJourney(journeyScope(deps, alice), {});
      expect(offered.accounts).toHaveLength(200);
      expect(offered.accounts!.some((a) => a.domain === 'client-287.example')).toBe(false);

      // Typed as the answer (the console, a one-field form).
      const typed = await answerJourney(journeyScope(deps, alice), {}, 'client-287.example');
      expect(typed.error).toBeUndefined();
      expect(typed.state.source).toEqual({ smartAccount: 'client-287.example' });

      // Searched in a typeahead or on a card: offered, with its Virtual Accounts.
      const searched = await viewJourney(journeyScope(deps, alice, { search: 'Client 29' }), {});
      expect(searched.accounts!.map((a) => a.domain)).toEqual(
        expect.arrayContaining(['client-290.example', 'client-299.example']),
      );

      // Chosen, it stays known at the next steps: the destination is another account, and so is its VA.
      const destination = await answerJourney(
        journeyScope(deps, alice),
        typed.state,
        'client-299.example/DEFAULT',
      );
      expect(destination.error).toBeUndefined();
      expect(destination.state.destination).toEqual({
        smartAccount: 'client-299.example',
        virtualAccount: 'DEFAULT',
      });
      const next = await viewJourney(journeyScope(deps, alice), destination.state);
      expect(next.step).toBe('sameCompany');
    });
  },
);
