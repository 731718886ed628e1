import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { devices, licenses, smartAccounts, virtualAccounts } from '../../db/schema.js';
import { listAssets } from '../../src/app/asset-list.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';
import { actor, seedWorld, testDeps } from '../support/world.js';

/**
 * The wizard's typeahead and `assets SA …`: what a user typing into the search box gets back.
 * The world holds SO 100–105 and 60 lines of SO 900 in fr-a.example, plus the rows added below.
 */
describe.each(drivers)('asset search (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedWorld(database.db, 60);
    deps = testDeps(database.db);
    const [frA] = await database.db
      .select()
      .from(smartAccounts)
      .where(eq(smartAccounts.domain, 'fr-a.example'));
    const [frB] = await database.db
      .select()
      .from(smartAccounts)
      .where(eq(smartAccounts.domain, 'fr-b.example'));
    const vas = await database.db.select().from(virtualAccounts);
    const va = (sa: number, name: string) => vas.find((v) => v.smartAccountId === sa && v.name === name)!.id;
    const license = {
      quantity: 5,
      licenseType: 'subscription' as const,
      minorLines: [],
    };
    await database.db.insert(licenses).values([
      {
        ...license,
        smartAccountId: frA!.id,
        virtualAccountId: va(frA!.id, 'DEFAULT'),
        salesOrder: '770001',
        line: '1',
        pid: 'ISE-PLS-S-100',
        description: 'Identity Services Engine Plus, 100 endpoints',
        webOrder: 'WO-5512',
        subscriptionId: 'Sub-8841',
        pak: 'PAKX9Q',
      },
      {
        ...license,
        smartAccountId: frA!.id,
        virtualAccountId: va(frA!.id, 'Lab'),
        salesOrder: '770002',
        line: '1',
        pid: 'DUO-ADV-USER',
        description: '50% discount bundle for the lab',
      },
      // Same words in another account: never shown for fr-a.
      {
        ...license,
        smartAccountId: frB!.id,
        virtualAccountId: va(frB!.id, 'DEFAULT'),
        salesOrder: '770003',
        line: '1',
        pid: 'ISE-PLS-S-100',
        description: 'Identity Services Engine Plus, 100 endpoints',
        subscriptionId: 'Sub-8842',
      },
    ]);
    await database.db.insert(devices).values({
      smartAccountId: frA!.id,
      virtualAccountId: va(frA!.id, 'DEFAULT'),
      serialNumber: 'JAE77AB01',
      pid: 'ISR4331/K9',
      hostId: '5C:FC:66:01:02:03',
      uuid: '0f8e2d1c-aaaa-bbbb-cccc-000000000001',
    });
  });
  afterAll(() => database.dispose());

  async function search(
    tab: 'licenses' | 'devices',
    text: string | undefined,
    limit = 25,
    account = 'fr-a.example',
  ) {
    const result = await listAssets(
      deps,
      await actor(database.db, 'alice'),
      { smartAccount: account },
      tab,
      text,
      limit,
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    return result.value;
  }
  const refs = async (tab: 'licenses' | 'devices', text: string | undefined, limit?: number) =>
    (await search(tab, text, limit)).rows.map((r) => r.ref);

  it('lists an account in sales-order order when nothing is typed, and says when there are more', async () => {
    const first = await search('licenses', undefined, 5);
    expect(first.rows.map((r) => r.ref)).toEqual([
      'SO:100-1',
      'SO:100-2',
      'SO:101-1',
      'SO:102-1',
      'SO:103-1',
    ]);
    expect(first.more).toBe(true);
    expect(await refs('devices', '')).toEqual([
      'SN:FOC0001',
      'SN:FOC0002',
      'SN:FOC0003',
      'SN:FOC0004',
      'SN:JAE77AB01',
    ]);
  });

  it('finds licenses by the start of any identifier a user copies, whatever its case', async () => {
    expect(await refs('licenses', '7700')).toEqual(['SO:770001-1', 'SO:770002-1']);
    expect(await refs('licenses', 'SO:770001')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'wo-55')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'SUB-884')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'pak:pakx9')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'ise-pls')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'WO-1')).toEqual(['SO:100-1']);
  });

  it('finds licenses by words inside their description', async () => {
    expect(await refs('licenses', 'endpoints')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'Services Engine')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'discount bundle')).toEqual(['SO:770002-1']);
    expect(await refs('licenses', '50% discount')).toEqual(['SO:770002-1']);
    expect(await refs('licenses', 'dna essentials 24-port')).toHaveLength(25);
    expect(await refs('licenses', 'engine identity')).toEqual([]);
  });

  it('looks up codes and one or two letters in identifiers only, not inside descriptions', async () => {
    // "po" is in every "24-port"; "24-port" is a code, and no identifier starts with it.
    expect(await refs('licenses', 'po')).toEqual([]);
    expect(await refs('licenses', '24-port')).toEqual([]);
    expect(await refs('licenses', 'ISE-PLS-S-100')).toEqual(['SO:770001-1']);
    expect(await refs('licenses', 'us')).toEqual([]);
  });

  it('takes what is typed literally: % and _ are not wildcards', async () => {
    expect(await refs('licenses', '%')).toEqual([]);
    expect(await refs('licenses', '7_0')).toEqual([]);
    expect(await refs('licenses', 'WO_55')).toEqual([]);
  });

  it('returns, when more match than asked for, the first lines by number and says there are more', async () => {
    const page = await search('licenses', '900', 10);
    expect(page.more).toBe(true);
    expect(page.rows.map((r) => r.ref)).toEqual(Array.from({ length: 10 }, (_, n) => `SO:900-${n + 1}`));
    const all = await search('licenses', '900', 100);
    expect(all.rows).toHaveLength(60);
    expect(all.more).toBe(false);
  });

  it('lists sales orders and lines by number, lines that are not numbers after those that are', async () => {
    const [be] = await database.db.select().from(smartAccounts).where(eq(smartAccounts.domain, 'be.example'));
    const [va] = await database.db
      .select()
      .from(virtualAccounts)
      .where(eq(virtualAccounts.smartAccountId, be!.id));
    const at = { smartAccountId: be!.id, virtualAccountId: va!.id };
    await database.db.insert(licenses).values(
      [
        ['1000', '2'],
        ['1000', '1'],
        ['99', 'B'],
        ['99', '100'],
        ['99', '10'],
        ['99', 'A'],
        ['99', '2'],
        ['99', '1'],
      ].map(([salesOrder, line]) => ({
        ...at,
        salesOrder: salesOrder!,
        line: line!,
        pid: 'C9300-DNA-E-24-3Y',
        quantity: 1,
        licenseType: 'smart' as const,
      })),
    );
    const listed = [
      'SO:99-1',
      'SO:99-2',
      'SO:99-10',
      'SO:99-100',
      'SO:99-A',
      'SO:99-B',
      'SO:1000-1',
      'SO:1000-2',
    ];
    const refsOf = async (text?: string, limit = 25) =>
      (await search('licenses', text, limit, 'be.example')).rows.map((r) => r.ref);
    expect(await refsOf()).toEqual(listed);
    expect(await refsOf(undefined, 3)).toEqual(listed.slice(0, 3));
    expect(await refsOf('99')).toEqual(listed.slice(0, 6));
    expect(await refsOf('SO:99', 4)).toEqual(listed.slice(0, 4));
    // Serials are read character by character, as written: a fixed-width serial's digits already count.
    await database.db
      .insert(devices)
      .values(
        ['FOX10', 'FOX0002', 'FOX0010'].map((serialNumber) => ({ ...at, serialNumber, pid: 'C9300-24T' })),
      );
    expect((await search('devices', undefined, 25, 'be.example')).rows.map((r) => r.ref)).toEqual([
      'SN:FOX0002',
      'SN:FOX0010',
      'SN:FOX10',
    ]);
  });

  it('finds devices by serial, PID, host ID or UUID prefix', async () => {
    expect(await refs('devices', 'jae77')).toEqual(['SN:JAE77AB01']);
    expect(await refs('devices', 'SN:foc000')).toEqual([
      'SN:FOC0001',
      'SN:FOC0002',
      'SN:FOC0003',
      'SN:FOC0004',
    ]);
    expect(await refs('devices', 'isr4331')).toEqual(['SN:JAE77AB01']);
    expect(await refs('devices', '5c:fc:66')).toEqual(['SN:JAE77AB01']);
    expect(await refs('devices', '0F8E2D1C')).toEqual(['SN:JAE77AB01']);
    expect(await refs('devices', 'C9300-24')).toHaveLength(4);
    expect(await refs('devices', 'nothing-like-this')).toEqual([]);
  });

  it('keeps to the chosen account and Virtual Account', async () => {
    expect(await refs('licenses', 'ise')).toEqual(['SO:770001-1']);
    const lab = await listAssets(
      deps,
      await actor(database.db, 'alice'),
      { smartAccount: 'fr-a.example', virtualAccount: 'Lab' },
      'licenses',
      '770',
      25,
    );
    expect(lab.ok && lab.value.rows.map((r) => r.ref)).toEqual(['SO:770002-1']);
    const other = await search('licenses', '7700', 25, 'fr-b.example');
    expect(other.rows.map((r) => r.ref)).toEqual(['SO:770003-1']);
  });

  it('still shows matches that cannot move, with the reason', async () => {
    const alice = await actor(database.db, 'alice');
    const requested = await requestTransfer(deps, alice, {
      source: { smartAccount: 'fr-a.example' },
      destination: { smartAccount: 'fr-b.example', virtualAccount: 'DEFAULT' },
      assets: [parseAssetRef('SO:770001-1')!],
      sameCompany: true,
    });
    expect(requested.ok).toBe(true);
    const [row] = (await search('licenses', 'endpoints')).rows;
    expect(row?.eligibility).toMatchObject({
      eligible: false,
      reason: { key: 'eligibility:reason.inOpenTransaction' },
    });
    const [ea] = (await search('licenses', '101')).rows;
    expect(ea?.eligibility).toMatchObject({
      eligible: false,
      reason: { key: 'eligibility:reason.enterpriseAgreement' },
    });
  });
});
