import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversationRefs } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { drainOutbox } from '../../src/delivery/worker.js';
import { translate } from '../../src/i18n/index.js';
import { surfaceDrivers } from '../support/db.js';
import { teamsUser, useTeamsWorld } from '../support/teams.js';
import { actor, EMAILS } from '../support/world.js';

// Bob's inventory says English; his Teams is in French.
const bob = teamsUser('bob', 'Bob Peeters', EMAILS.bob, 'fr-FR');

describe.each(surfaceDrivers)(
  'Teams: a person reads in their Teams language, kept in the database (%s)',
  (driver) => {
    const world = useTeamsWorld(driver, [bob]);

    it('keeps the language of his messages, and writes to him in it after a restart, whatever the reference of his chat says', async () => {
      await world.teams.message(bob, 'list');
      await world.restart(); // a new process: only the database speaks
      expect(
        (await world.deps.store.users.findUser({ email: EMAILS.bob }))?.platformLocales.teams?.locale,
      ).toBe('fr-FR');
      // His chat's reference was last written by an activity that carried no language.
      await world.database.db
        .update(conversationRefs)
        .set({ reference: sql`${conversationRefs.reference} - 'locale'` })
        .where(eq(conversationRefs.teamsUserId, bob.id));

      const alice = await actor(world.database.db, 'alice', 'slack');
      const requested = await requestTransfer(world.deps, alice, {
        source: { smartAccount: 'fr-a.example' },
        destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
        assets: [parseAssetRef('SO:100-1')!],
        sameCompany: false,
        transferee: EMAILS.bob,
        justification: 'Brussels office',
        termsAccepted: true,
      });
      if (!requested.ok) throw new Error(`request refused: ${requested.refusal.message.key}`);
      expect((await submitTransfer(world.deps, alice, requested.value.state.id)).ok).toBe(true);

      const before = world.connector.posted(bob.chat).length;
      await drainOutbox(world.deps, { senders: [world.bot.adapter.sender] });
      const posted = JSON.stringify(
        world.connector
          .posted(bob.chat)
          .slice(before)
          .map((r) => r.body),
      );
      expect(posted).toContain(requested.value.state.id);
      const statusField = (locale: 'en' | 'fr') =>
        `"title":${JSON.stringify(translate(locale, 'common:field.status'))}`;
      expect(posted).toContain(statusField('fr'));
      expect(posted).not.toContain(statusField('en'));
    });
  },
);
