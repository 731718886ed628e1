import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole } from '../../adapters/console/session.js';
import { submitTransfer } from '../../src/app/actions.js';
import { requestTransfer } from '../../src/app/request.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { addBigOrder, blockLines, range } from '../support/big-order.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { toBelgium, toParis } from '../support/transfers.js';
import { actorIn, EMAILS, seededDatabase, type testDeps } from '../support/world.js';

/** A transfer of 300 licenses; 40 of them in use on devices (lines 200 to 239). */
const ORDER = { lines: 300, inUse: range(200, 239) };
/** Lines that get an upgrade pending once asked for: they fail when the transfer runs. */
const FAILING = [150, 299];

describe.each(surfaceDrivers)(
  'the console, for a transfer of hundreds of items (%s)',
  { timeout: 120_000 },
  (driver) => {
    let database: TestDatabase;
    let deps: ReturnType<typeof testDeps>;

    async function session(as: string, lines: string[]): Promise<string> {
      const input = new PassThrough();
      const output = new PassThrough();
      let out = '';
      output.on('data', (d: Buffer) => (out += d.toString()));
      input.end(`${lines.join('\n')}\n`);
      expect(await runConsole({ deps, input, output, interactive: false, as })).toBe(0);
      return out;
    }

    async function requested(input: ReturnType<typeof toParis>, salesOrder: string): Promise<string> {
      const alice = await actorIn(deps, 'alice');
      const asked = await requestTransfer(deps, alice, {
        ...input,
        assets: [parseAssetRef(`SO:${salesOrder}`)!],
      });
      if (!asked.ok) throw new Error(asked.refusal.message.key);
      return asked.value.state.id;
    }

    beforeAll(async () => {
      ({ database, deps } = await seededDatabase(driver));
    });
    afterAll(() => database.dispose());

    it('`show` of a partial transfer counts its items and those failed, then lists every item, the failed first, then those with warnings', async () => {
      await addBigOrder(database.db, { salesOrder: '910', ...ORDER });
      const id = await requested(toParis('SO:910'), '910');
      await blockLines(database.db, '910', FAILING);
      const submitted = await submitTransfer(deps, await actorIn(deps, 'alice'), id);
      expect(submitted.ok && submitted.value.status).toBe('transfer_completed_with_failure');

      const out = await session(EMAILS.alice, [`show ${id}`]);
      // Alice reads French.
      expect(out).toContain(`Éléments (${ORDER.lines}) · Échec (${FAILING.length})\u00a0:`);
      const refs = out.match(/SO:910-\d+/g) ?? [];
      expect(new Set(refs).size).toBe(ORDER.lines);
      expect(refs.slice(0, 4)).toEqual(['SO:910-150', 'SO:910-299', 'SO:910-200', 'SO:910-201']);
      // Each license with its minor line under it.
      expect(out).toMatch(/SO:910-150 .*\n\s+↳ 150\.1 C9300-DNA-E-24 ×10\n/);
      // Those moved without a warning last, in the order they were added.
      const rest = refs.slice(ORDER.inUse.length + FAILING.length);
      expect(rest.some((ref) => ORDER.inUse.includes(Number(ref.split('-')[1])))).toBe(false);
    });

    it.each([
      {
        locale: 'fr',
        as: EMAILS.alice,
        salesOrder: '950',
        to: 'fr-b.example/DEFAULT same-company:yes',
        more: '…et 250 de plus.',
      },
      {
        locale: 'en',
        as: EMAILS.paul,
        salesOrder: '951',
        to: 'be.example/DEFAULT same-company:no transferee:bob@be.example justification:"Brussels office" terms:accept',
        more: '…and 250 more.',
      },
    ])(
      'a request refused for 300 assets names the first 50 with their reasons, then counts the rest ($locale)',
      async ({ as, salesOrder, to, more }) => {
        await addBigOrder(database.db, { salesOrder, lines: 300, inUse: [] });
        await blockLines(database.db, salesOrder, range(1, 300));
        const out = await session(as, [`new from:fr-a.example assets:SO:${salesOrder} to:${to}`]);
        const named = out.split('\n').filter((line) => line.includes(`SO:${salesOrder}-`));
        expect(named).toHaveLength(50);
        expect(named[0]).toContain(`SO:${salesOrder}-1`);
        expect(out).toContain(`  - ${more}`);
      },
    );

    it('a consent card in the inbox says how many more items carry warnings, and downloads them all', async () => {
      await addBigOrder(database.db, { salesOrder: '920', ...ORDER });
      const id = await requested(toBelgium('SO:920'), '920');
      expect((await submitTransfer(deps, await actorIn(deps, 'alice'), id)).ok).toBe(true);

      const inbox = await session(EMAILS.bob, ['inbox']);
      const card = inbox.slice(inbox.indexOf(id));
      const refs = new Set(card.match(/SO:920-\d+/g) ?? []);
      expect([...refs].every((ref) => ORDER.inUse.includes(Number(ref.split('-')[1])))).toBe(true);
      expect(card).toContain(`Not shown: ${ORDER.inUse.length - refs.size} items with warnings.`);
      const download = /\[(\d+)\] Download/.exec(card)?.[1];
      expect(download).toBeDefined();

      const pressed = await session(EMAILS.bob, ['inbox', download!]);
      expect(pressed).toMatch(new RegExp(`${id}\\S*\\.xlsx`));
    });
  },
);
