import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentTransfer, screenTransfer, submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { toBelgium } from '../support/transfers.js';
import { actorIn, seedWorld, testDeps } from '../support/world.js';

/**
 * A transfer read to be decided on or drawn: its row, consents and names in one statement, its items with
 * their assets' facts in another. What each read gives, on both databases.
 */
describe.each(drivers)('a transfer read whole (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let id: string;
  let decidedAt: Date;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db);
    deps = testDeps(database.db);
    const alice = await actorIn(deps, 'alice');
    const requested = await requestTransfer(deps, alice, {
      ...toBelgium('SO:100-1'),
      assets: ['SO:100-1', 'SN:FOC0001', 'SO:104-1'].map((ref) => parseAssetRef(ref)!),
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    id = requested.value.state.id;
    expect((await submitTransfer(deps, alice, id)).ok).toBe(true);
    deps.advance(61_234);
    decidedAt = deps.now();
    expect((await consentTransfer(deps, await actorIn(deps, 'bob'), id, 'approve')).ok).toBe(true);
    deps.advance(60_000);
    const screened = await screenTransfer(deps, await actorIn(deps, 'cora'), id, 'approve', 'Screened');
    expect(screened.ok).toBe(true);
  });
  afterAll(() => database.dispose());

  it('gives the consents as asked, who decided each and when, and who screened, by name', async () => {
    const loaded = await deps.store.transfers.loadState(id);
    const bob = await actorIn(deps, 'bob');
    const cora = await actorIn(deps, 'cora');
    expect(loaded?.state.consents).toEqual([
      {
        role: 'transferee',
        userId: bob.userId,
        decision: 'approved',
        decidedById: bob.userId,
        decidedByName: bob.name,
        decidedAt,
        reason: null,
        mayAnswer: true,
        cannotAnswerSince: null,
        remindersSent: 0,
      },
    ]);
    expect(loaded?.state.screenedById).toBe(cora.userId);
    expect(loaded?.state.screenedByName).toBe(cora.name);
    expect(await deps.store.transfers.loadState('AT-NOTHERE')).toBeUndefined();
  });

  it('gives the names a drawn transfer shows: its people, accounts with their legal entities, Virtual Accounts', async () => {
    const loaded = await deps.store.transfers.loadStateAndNames(id);
    const people = [...loaded!.names.people.values()].map((p) => p.email).sort();
    expect(people).toEqual(['alice@fr.example', 'bob@be.example', 'cora@compliance.example']);
    expect([...loaded!.names.accounts.values()].map((a) => [a.domain, a.name, a.legalEntityName])).toEqual(
      expect.arrayContaining([
        ['fr-a.example', 'Lumière Lyon', 'Lumière Réseaux SAS'],
        ['be.example', 'Lumière Belgique', 'Lumière Réseaux Belgique SA'],
      ]),
    );
    expect(loaded!.names.accounts.size).toBe(2);
    const destination = loaded!.names.virtualAccounts.get(loaded!.row.destinationVirtualAccountId);
    expect(destination?.name).toBe('DEFAULT');
    expect(await deps.store.transfers.viewNames(id)).toEqual(loaded!.names);
  });

  it('describes the first items with their assets as the inventory has them, and no more', async () => {
    const all = await deps.store.transfers.itemsDescribed(id, null);
    // Licenses first, then devices: the order the request added them in.
    expect(all.map((d) => d.item.ref)).toEqual(['SO:100-1', 'SO:104-1', 'SN:FOC0001']);
    expect(all.map((d) => d.facts)).toEqual([
      expect.objectContaining({
        licenseType: 'smart',
        webOrder: 'WO-1',
        subscriptionId: 'Sub-1',
        hostId: null,
      }),
      expect.objectContaining({ pak: 'PAK-1', registration: null }),
      expect.objectContaining({ registration: 'direct', webOrder: null, pak: null }),
    ]);
    const first = await deps.store.transfers.itemsDescribed(id, 2);
    expect(first.map((d) => d.item.ref)).toEqual(['SO:100-1', 'SO:104-1', 'SN:FOC0001']);
    expect(first.map((d) => d.facts !== null)).toEqual([true, true, false]);
    expect(await deps.store.transfers.itemsDescribed('AT-NOTHERE', 2)).toEqual([]);
  });

  it('describes first the items a view shows first: those with warnings before the rest, still in the order added', async () => {
    // SO:104-1 is reserved: a note on the record, so a view shows it before SO:100-1.
    const first = await deps.store.transfers.itemsDescribed(id, 1);
    expect(first.map((d) => d.item.ref)).toEqual(['SO:100-1', 'SO:104-1', 'SN:FOC0001']);
    expect(first.map((d) => d.facts !== null)).toEqual([false, true, false]);
  });

  it('draws the same transfer for a chat viewer and on the command line, the facts aside', async () => {
    const bob = await actorIn(deps, 'bob', 'slack');
    const chat = await loadTransferView(deps, id, bob);
    const cli = await loadTransferView(deps, id, null);
    expect(chat?.consents[0]?.person.email).toBe('bob@be.example');
    expect(chat?.screening?.by).toBe(cli?.screening?.by);
    expect(chat?.source.legalEntity).toBe('Lumière Réseaux SAS');
    expect(chat?.items).toEqual(cli?.items);
    expect(chat?.history.map((h) => h.action)).toEqual(cli?.history.map((h) => h.action));
  });
});
