import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { licenses } from '../../db/schema.js';
import { dispatch } from '../../src/app/dispatch.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { drivers } from '../support/db.js';
import { useSeeded } from '../support/world.js';

describe.each(drivers)('whole selections in the one-line new (%s)', (driver) => {
  // Each test starts from the seeded inventory, none of its assets in a request yet.
  const suite = useSeeded(driver, 'alice', 'slack', 'each');

  async function run(line: string) {
    const parsed = parseCommand(line);
    if (!parsed.ok) throw new Error(`does not parse: ${line}`);
    return dispatch(suite.deps, suite.actor, parsed.command);
  }
  const items = async (id: string) =>
    (await loadTransferView(suite.deps, id, suite.actor))?.items.map((i) => i.ref).sort();

  it('assets:VA:NAME devices takes the eligible devices of that Virtual Account and says what it left out', async () => {
    const reply = await run(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:default devices same-company:yes',
    );
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    expect(reply.selection).toMatchObject({
      licenses: 0,
      devices: 2,
      perVirtualAccount: [{ name: 'DEFAULT', licenses: 0, devices: 2 }],
      leftOutTotal: 1,
    });
    expect(reply.selection!.leftOut.map((l) => l.ref)).toEqual(['SN:FOC0003']);
    expect(await items(reply.view.id)).toEqual(['SN:FOC0001', 'SN:FOC0002']);
  });

  it('adds what a whole selection takes in natural order: line 2 before line 10', async () => {
    const [template] = await suite.database.db.select().from(licenses).where(eq(licenses.salesOrder, '105'));
    const row = { ...template!, id: undefined };
    // Imported in another order, and the inventory's text order would be 1, 10, 2.
    for (const line of ['10', '2', '1'])
      await suite.database.db.insert(licenses).values({ ...row, salesOrder: '300', line, minorLines: [] });
    const reply = await run(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:ALL licenses same-company:yes',
    );
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    const shown = (await loadTransferView(suite.deps, reply.view.id, suite.actor))!.items.map((i) => i.ref);
    expect(shown.filter((ref) => ref.startsWith('SO:300-'))).toEqual(['SO:300-1', 'SO:300-2', 'SO:300-10']);
  });

  it('assets:ALL takes every eligible asset of the source, the same ones the wizard takes', async () => {
    const reply = await run('new from:fr-a.example to:fr-b.example/DEFAULT assets:ALL same-company:yes');
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    expect(reply.selection).toMatchObject({ licenses: 5, devices: 2, leftOutTotal: 4 });
    expect(reply.selection!.leftOut.map((l) => l.ref).sort()).toEqual([
      'SN:FOC0003',
      'SN:FOC0004',
      'SO:101-1',
      'SO:102-1',
    ]);
    expect(await items(reply.view.id)).toEqual([
      'SN:FOC0001',
      'SN:FOC0002',
      'SO:100-1',
      'SO:100-2',
      'SO:103-1',
      'SO:104-1',
      'SO:105-1',
    ]);
    // Everything eligible is now in an open transfer: a second ALL finds nothing and creates nothing.
    const again = await run(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:ALL licenses same-company:yes',
    );
    expect(again.kind === 'refused' && again.refusal.message.key).toBe('core:journey.error.nothingEligible');
  });

  it('lists what a whole selection left out in natural order too: line 2 before line 10', async () => {
    const [template] = await suite.database.db.select().from(licenses).where(eq(licenses.salesOrder, '101'));
    const row = { ...template!, id: undefined, minorLines: [] };
    for (const line of ['10', '2', '1'])
      await suite.database.db.insert(licenses).values({ ...row, salesOrder: '301', line });
    const reply = await run(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:ALL licenses same-company:yes',
    );
    if (reply.kind !== 'transfer') throw new Error(JSON.stringify(reply));
    expect(reply.selection!.leftOut.map((l) => l.ref)).toEqual([
      'SO:101-1',
      'SO:102-1',
      'SO:301-1',
      'SO:301-2',
      'SO:301-10',
    ]);
  });

  it('a whole selection that finds nothing eligible names the assets left out and why, the first 50 in natural order', async () => {
    const [template] = await suite.database.db.select().from(licenses).where(eq(licenses.salesOrder, '101'));
    const row = { ...template!, id: undefined, minorLines: [] };
    // 60 more Enterprise Agreement lines, imported last line first.
    for (let line = 60; line >= 1; line--)
      await suite.database.db.insert(licenses).values({ ...row, salesOrder: '400', line: String(line) });
    const first = await run(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:ALL licenses same-company:yes',
    );
    if (first.kind !== 'transfer') throw new Error(JSON.stringify(first));
    const again = await run(
      'new from:fr-a.example to:fr-b.example/DEFAULT assets:ALL licenses same-company:yes',
    );
    if (again.kind !== 'refused') throw new Error(JSON.stringify(again));
    expect(again.refusal.message.key).toBe('core:journey.error.nothingEligible');
    const details = again.refusal.details ?? [];
    expect(details).toHaveLength(51);
    // Held by the transfer just made: it is named.
    expect(details[0]).toEqual({
      key: 'core:problem.ineligible',
      params: { ref: 'SO:100-1', reasonKey: 'eligibility:reason.inOpenTransaction', id: first.view.id },
    });
    expect(details[2]?.params).toMatchObject({
      ref: 'SO:101-1',
      reasonKey: 'eligibility:reason.enterpriseAgreement',
    });
    const refs = details.slice(0, 50).map((d) => d.params?.['ref']);
    expect(refs.slice(7, 12)).toEqual(['SO:400-1', 'SO:400-2', 'SO:400-3', 'SO:400-4', 'SO:400-5']);
    expect(refs.at(-1)).toBe('SO:400-43');
    // 7 of the seed and 60 more were left out: 17 are counted.
    expect(details[50]).toEqual({ key: 'core:refusal.moreProblems', params: { count: 17 } });
  });

  it('a Virtual Account the source does not have is refused', async () => {
    const reply = await run('new from:fr-a.example to:fr-b.example/DEFAULT assets:VA:NOPE same-company:yes');
    expect(reply.kind).toBe('refused');
  });
});
