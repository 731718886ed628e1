import { consentTransfer } from '../../src/app/actions.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { smartAccounts, users, virtualAccounts } from '../../db/schema.js';
import { listAccounts, listTransferRows } from '../../src/app/queries.js';
import { listAssets } from '../../src/app/asset-list.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { awaitingConsent } from '../support/transfers.js';
import { actor, EMAILS, seededDatabase, type Name, type testDeps } from '../support/world.js';

/**
 * The landing page's list and the asset search ask the domain who may see what and who must decide:
 * the same answers as the transfer itself gives (its buttons, who may view it).
 */
describe.each(drivers)('lists of transfers and assets (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
  });
  afterAll(() => database.dispose());

  async function rowFor(name: Name, id: string) {
    const listed = await listTransferRows(deps, await actor(database.db, name), {});
    if (!listed.ok) throw new Error(listed.refusal.message.key);
    return listed.value.find((row) => row.id === id);
  }

  it('marks a partner’s request as awaiting its transferor, as well as its transferee', async () => {
    // Paul (a partner) asks without naming a transferor: Alice and Carol, admins of the source for its
    // own company, are both asked.
    const id = await awaitingConsent(deps, 'SO:100-1', { requester: 'paul' });
    expect((await rowFor('alice', id))?.awaitingViewer).toBe(true);
    expect((await rowFor('carol', id))?.awaitingViewer).toBe(true);
    expect((await rowFor('bob', id))?.awaitingViewer).toBe(true);
    expect((await rowFor('paul', id))?.awaitingViewer).toBe(false);
    // Once one of them answers, it no longer waits for the other.
    await consentTransfer(deps, await actor(database.db, 'carol'), id, 'approve');
    expect((await rowFor('alice', id))?.awaitingViewer).toBe(false);
  });

  it('marks only the transferor a partner named', async () => {
    const id = await awaitingConsent(deps, 'SO:100-2', { requester: 'paul', transferor: 'carol' });
    expect((await rowFor('carol', id))?.awaitingViewer).toBe(true);
    expect((await rowFor('alice', id))?.awaitingViewer).toBe(false);
  });

  it('lists the Smart Accounts one administers, each Virtual Account with its licenses and devices counted', async () => {
    // Counted here straight from the tables, one Virtual Account at a time.
    const counted = await database.db
      .select({
        domain: smartAccounts.domain,
        name: virtualAccounts.name,
        licenses: sql<number>`(select count(*)::int from licenses l where l.virtual_account_id = ${virtualAccounts.id})`,
        devices: sql<number>`(select count(*)::int from devices d where d.virtual_account_id = ${virtualAccounts.id})`,
      })
      .from(virtualAccounts)
      .innerJoin(smartAccounts, eq(smartAccounts.id, virtualAccounts.smartAccountId));
    const expected = (domain: string) =>
      counted
        .filter((c) => c.domain === domain)
        .map(({ name, licenses, devices }) => ({
          name,
          licenses: Number(licenses),
          devices: Number(devices),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));

    const alice = await listAccounts(deps, await actor(database.db, 'alice'));
    expect(alice.map((a) => a.domain)).toEqual(['be.example', 'fr-a.example', 'fr-b.example']);
    for (const account of alice) {
      const vas = account.virtualAccounts.map(({ name, licenses, devices }) => ({ name, licenses, devices }));
      expect(vas.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected(account.domain));
      expect(account.licenses).toBe(vas.reduce((n, v) => n + v.licenses, 0));
      expect(account.devices).toBe(vas.reduce((n, v) => n + v.devices, 0));
    }
    expect(alice.find((a) => a.domain === 'fr-a.example')).toMatchObject({ licenses: 7, devices: 4 });
    // A search stays within what one administers: Bob sees his account, not Alice's others.
    expect(
      (await listAccounts(deps, await actor(database.db, 'bob'), 'example')).map((a) => a.domain),
    ).toEqual(['be.example']);
    expect(await listAccounts(deps, await actor(database.db, 'eve'))).toEqual([]);
  });

  it('searches accounts and assets typed full-width (a Japanese keyboard) as typed in their usual forms', async () => {
    const alice = await actor(database.db, 'alice');
    expect((await listAccounts(deps, alice, 'ｌｙｏｎ')).map((a) => a.domain)).toEqual(
      (await listAccounts(deps, alice, 'lyon')).map((a) => a.domain),
    );
    expect((await listAccounts(deps, alice, 'ｌｙｏｎ')).length).toBeGreaterThan(0);
    const devices = async (query: string) => {
      const list = await listAssets(deps, alice, { smartAccount: 'fr-a.example' }, 'devices', query);
      if (!list.ok) throw new Error(list.refusal.message.key);
      return list.value.rows.map((row) => row.ref);
    };
    expect(await devices('ＦＯＣ０００１')).toEqual(await devices('FOC0001'));
    expect(await devices('ＦＯＣ０００１')).toEqual(['SN:FOC0001']);
  });

  it('gives a bot admin no more sight of accounts and transfers than anyone else', async () => {
    const id = await awaitingConsent(deps, 'SN:FOC0001');
    await database.db
      .update(users)
      .set({ globalRoles: ['bot_admin'] })
      .where(eq(users.email, EMAILS.eve));
    const eve = await actor(database.db, 'eve');
    const assets = await listAssets(deps, eve, { smartAccount: 'fr-a.example' }, 'licenses', undefined);
    expect(!assets.ok && assets.refusal.code).toBe('forbidden');
    const listed = await listTransferRows(deps, eve, {});
    expect(listed.ok && listed.value.map((row) => row.id)).toEqual([]);

    // With the compliance role as well, she sees every transfer, as a compliance officer does.
    await database.db
      .update(users)
      .set({ globalRoles: ['bot_admin', 'compliance'] })
      .where(eq(users.email, EMAILS.eve));
    const officer = await actor(database.db, 'eve');
    const all = await listTransferRows(deps, officer, {});
    expect(all.ok && all.value.map((row) => row.id)).toContain(id);
    expect(
      (await listAssets(deps, officer, { smartAccount: 'fr-a.example' }, 'licenses', undefined)).ok,
    ).toBe(true);
  });
});
