import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTransfer, mayReject } from '../../src/app/actions.js';
import { deciders } from '../../src/app/cards.js';
import { dispatch } from '../../src/app/dispatch.js';
import { failureMessage, trackChanges } from '../../src/app/failure.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { translate } from '../../src/i18n/index.js';
import { answerJourney, journeyScope, viewJourney } from '../../src/app/journey/service.js';
import type { JourneyState } from '../../src/app/journey/journey.js';
import { currentSmartAccount } from '../../src/app/queries.js';
import { transfereeCandidates, transfereeCompany } from '../../src/app/request-form.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent, historyOf } from '../support/transfers.js';
import { actor, EMAILS, seededDatabase, type Name, type testDeps } from '../support/world.js';

/**
 * Rules every surface asks the core about, so that no adapter decides them:
 * who may be named transferee, what the request form is prefilled with, whether someone may reject
 * before being asked for a reason, who decides a card, and which account the landing page shows.
 */
describe.each(drivers)('rules the surfaces ask the core (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  const candidates = async (name: Name, destination: string | undefined) =>
    (await transfereeCandidates(deps, await actor(database.db, name), destination))
      .map((c) => c.email)
      .sort();

  it('offers the destination’s admins as transferee, never the requester, and only to an admin of the destination', async () => {
    expect(await candidates('alice', 'be.example')).toEqual([EMAILS.bob, EMAILS.paul].sort());
    expect(await candidates('bob', 'BE.example')).toEqual([EMAILS.alice, EMAILS.paul].sort());
    // Carol administers fr-a.example only: the Belgian admins are not hers to browse.
    expect(await candidates('carol', 'be.example')).toEqual([]);
    expect(await candidates('alice', 'nowhere.example')).toEqual([]);
    expect(await candidates('alice', undefined)).toEqual([]);
  });

  it('opens the wizard on a `new …` line only for accounts its requester administers, refused as the whole line would be', async () => {
    const opened = async (name: Name, line: string) => {
      const parsed = parseCommand(line);
      if (!parsed.ok) throw new Error(line);
      return dispatch(deps, await actor(database.db, name), parsed.command);
    };
    const notAdmin = (accounts: string) => translate('en', 'core:refusal.notAdminOfBoth', { accounts });
    const refusedWith = async (name: Name, line: string) => {
      const reply = await opened(name, line);
      return reply.kind === 'refused'
        ? translate('en', reply.refusal.message.key, reply.refusal.message.params)
        : reply.kind;
    };
    // Carol administers fr-a.example only: the wizard would have asked her for a transferee nobody can name.
    expect(await refusedWith('carol', 'new from:fr-a.example to:be.example/DEFAULT same-company:no')).toBe(
      notAdmin('be.example'),
    );
    expect(await refusedWith('carol', 'new to:be.example/DEFAULT')).toBe(notAdmin('be.example'));
    // An account that does not exist is refused in the same words, so nobody learns which do.
    expect(await refusedWith('carol', 'new from:nowhere.example')).toBe(notAdmin('nowhere.example'));
    expect(
      await opened('alice', 'new from:fr-a.example to:be.example/DEFAULT same-company:no'),
    ).toMatchObject({
      kind: 'wizard',
      state: { source: { smartAccount: 'fr-a.example' }, destination: { smartAccount: 'be.example' } },
    });
    expect(await opened('carol', 'new')).toMatchObject({ kind: 'wizard' });
  });

  it('opens the wizard at the form for a whole line said to be within one company between two legal entities', async () => {
    const alice = await actor(database.db, 'alice');
    const line =
      'new from:fr-a.example to:be.example/DEFAULT assets:SO:100-1 same-company:yes transferee:' + EMAILS.bob;
    const parsed = parseCommand(line);
    if (!parsed.ok || parsed.command.type !== 'new' || !parsed.command.complete) throw new Error(line);
    // Given whole, it is not refused for the answers the inventory makes necessary: they are asked.
    const reply = await dispatch(deps, alice, parsed.command);
    expect(reply).toMatchObject({
      kind: 'wizard',
      missing: ['justification', 'terms'],
      state: { sameCompany: true, transferee: EMAILS.bob, assets: { refs: ['SO:100-1'] } },
    });
  });

  it('prefills the request form with the destination’s legal entity', async () => {
    expect(await transfereeCompany(deps, 'be.example')).toEqual({
      legalName: 'Lumière Réseaux Belgique SA',
      address: 'Avenue Louise 1, Bruxelles',
    });
    expect(await transfereeCompany(deps, 'nowhere.example')).toEqual({ legalName: null, address: null });
  });

  it('offers as transferor only those who may be once the transferee is answered, within the same answer', async () => {
    // A form answering the transferee and the transferor at once, as Slack's does: one scope for both.
    const journey = journeyScope(deps, await actor(database.db, 'paul'));
    const form: JourneyState = {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'be.example', virtualAccount: 'DEFAULT' },
      sameCompany: false,
    };
    const offered = await viewJourney(journey, form, undefined, 'transferor');
    expect(offered.people?.map((p) => p.email)).toEqual([EMAILS.alice, EMAILS.carol]);
    const named = await answerJourney(journey, form, EMAILS.alice, 'transferee');
    expect((await viewJourney(journey, named.state, undefined, 'transferor')).people).toEqual([
      { name: 'Carol Durand', email: EMAILS.carol },
    ]);
    const both = await answerJourney(journey, named.state, EMAILS.alice, 'transferor');
    expect(both.error?.key).toBe('core:journey.error.notCandidate');
    expect(both.state.transferor).toBeUndefined();
  });

  it('lets only the person asked reject a consent, and records anyone else’s attempt', async () => {
    const id = await awaitingConsent(deps, 'SO:100-1');
    const [bob, paul, eve, cora] = await Promise.all([
      actor(database.db, 'bob'),
      actor(database.db, 'paul'),
      actor(database.db, 'eve'),
      actor(database.db, 'cora'),
    ]);
    expect((await mayReject(deps, bob, id, 'consent')).ok).toBe(true);

    const notAsked = await mayReject(deps, paul, id, 'consent');
    expect(!notAsked.ok && notAsked.refusal.code).toBe('forbidden');
    const unseen = await mayReject(deps, eve, id, 'consent');
    expect(!unseen.ok && unseen.refusal.code).toBe('not_found');
    const tooEarly = await mayReject(deps, cora, id, 'screen');
    expect(!tooEarly.ok && tooEarly.refusal.code).toBe('wrong_status');

    const refused = (await historyOf(database.db, id)).filter((h) => h.action.startsWith('refused.'));
    expect(refused.map((h) => `${h.actor} ${h.action} ${h.reason}`)).toEqual(
      expect.arrayContaining([
        `${EMAILS.paul} refused.consent.reject forbidden`,
        `${EMAILS.cora} refused.screen.reject wrong_status`,
      ]),
    );
    // Asking changes nothing: the consent is still open.
    expect((await consentTransfer(deps, bob, id, 'approve')).ok).toBe(true);
    expect((await mayReject(deps, cora, id, 'screen')).ok).toBe(true);
  });

  it('keeps the Smart Account chosen with `use` as the landing page’s current one, for its admins only', async () => {
    const alice = await actor(database.db, 'alice');
    expect(await currentSmartAccount(deps, alice)).toBeUndefined();
    await dispatch(deps, alice, { type: 'use', smartAccount: 'fr-b.example' });
    expect(await currentSmartAccount(deps, alice)).toBe('fr-b.example');
    // Once the role is gone the choice no longer counts.
    const frB = (await deps.store.accounts.findSmartAccount('fr-b.example'))!;
    const withoutRole = { ...alice, adminOf: new Set([...alice.adminOf].filter((id) => id !== frB.id)) };
    expect(await currentSmartAccount(deps, withoutRole)).toBeUndefined();
  });

  it('names who decides a card: the consenter, or every compliance officer', async () => {
    const id = await awaitingConsent(deps, 'SN:FOC0001');
    expect((await deciders(deps, id, 'consent:transferee')).map((u) => u.email)).toEqual([EMAILS.bob]);
    expect(await deciders(deps, id, 'consent:transferor')).toEqual([]);
    expect((await deciders(deps, id, 'compliance')).map((u) => u.email)).toEqual([EMAILS.cora]);
  });
  it('tells the surface when a command’s change has committed, for what it says if something fails after', async () => {
    const [alice, bob] = [await actor(database.db, 'alice'), await actor(database.db, 'bob')];
    const run = async (who: typeof alice, line: string) => {
      const parsed = parseCommand(line);
      if (!parsed.ok) throw new Error(`not a command: ${line}`);
      const changes = trackChanges();
      const reply = await dispatch(deps, who, parsed.command, { changed: changes.mark });
      return { reply, changed: changes.changed };
    };
    const id = await awaitingConsent(deps, 'SO:104-1');
    expect((await run(bob, `show ${id}`)).changed).toBeUndefined();
    // Not theirs to decide: refused, nothing changed.
    expect(await run(alice, `consent ${id} approve`)).toMatchObject({
      reply: { kind: 'refused' },
      changed: undefined,
    });
    expect(await run(bob, `consent ${id} approve`)).toMatchObject({
      reply: { kind: 'transfer' },
      changed: { id },
    });
    // Bob's approval again is his own, recorded: answered as the first (the change it reports is made).
    expect(await run(bob, `consent ${id} approve`)).toMatchObject({
      reply: { kind: 'transfer' },
      changed: { id },
    });
    expect(await run(bob, `consent ${id} reject reason:"no"`)).toMatchObject({
      reply: { kind: 'refused' },
      changed: undefined,
    });
    expect((await run(alice, 'use fr-b.example')).changed).toEqual({});
    const made = await run(
      alice,
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:SO:105-1 same-company:yes',
    );
    expect(made.reply.kind).toBe('transfer');
    expect(made.changed).toEqual({ id: made.reply.kind === 'transfer' ? made.reply.view.id : 'none' });

    // What each surface then says, in every language, with its own way to type `show`.
    const said = (changed: { id?: string } | undefined, locale: 'en' | 'fr' | 'ja') => {
      const m = failureMessage(changed, (command) => `/transfer ${command}`);
      return translate(locale, m.key, m.params);
    };
    expect(said(undefined, 'en')).toBe(
      'Something went wrong on our side; nothing was changed by this request. Please try again in a moment.',
    );
    expect(said({}, 'en')).toBe(
      'Done, but something went wrong on our side while showing the result. Look again in a moment; there is no need to do it again.',
    );
    expect(said({ id }, 'fr')).toBe(
      `C’est fait\u00a0: la transaction ${id} est enregistrée, mais un problème est survenu de notre côté lors de ` +
        `l’affichage du résultat. Tapez /transfer show ${id} pour voir où elle en est\u00a0; inutile de recommencer.`,
    );
    expect(said({ id }, 'ja')).toBe(
      `トランザクション ${id} への操作は記録されましたが、結果の表示中にシステム側で問題が発生しました。` +
        `/transfer show ${id} で状況を確認してください。もう一度操作する必要はありません。`,
    );
  });
});
