import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../adapters/cli/commands.js';
import type { Db } from '../../db/client.js';
import * as schema from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { historyEntryText, historySummary } from '../../src/app/history-text.js';
import { importInventoryFile } from '../../src/app/inventory.js';
import { requestTransfer } from '../../src/app/request.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { addBigOrder, range } from '../support/big-order.js';
import { drivers, type TestDatabase } from '../support/db.js';
import { actorIn, seededDatabase, testDeps } from '../support/world.js';

/**
 * An inventory file that puts back assets a completed transfer moved (a file older than the transfer) is
 * imported, as the inventory is the operator's record, but not silently: `import` names each such transfer,
 * and the transfer's history says how many of its assets went where. The transfer stays completed.
 */
describe.each(drivers)('importing a file that undoes completed transfers (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let db: Db;
  let dir: string;
  let toParis: string;
  let toLyon: string;
  let firstToParis: string;

  /** A transfer between two of Alice's Smart Accounts (same company), submitted: it completes at once. */
  const completed = async (from: string, to: string, refs: string[]) => {
    const alice = await actorIn(deps, 'alice');
    const requested = await requestTransfer(deps, alice, {
      source: { smartAccount: from },
      destination: { smartAccount: to, virtualAccount: 'DEFAULT' },
      assets: refs.map((ref) => parseAssetRef(ref)!),
      sameCompany: true,
    });
    if (!requested.ok) throw new Error(`request refused: ${JSON.stringify(requested.refusal)}`);
    const submitted = await submitTransfer(deps, alice, requested.value.state.id);
    if (!submitted.ok || submitted.value.status !== 'transfer_completed') throw new Error('not completed');
    return submitted.value.id;
  };
  const file = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(json));
    return path;
  };
  /** `order` as in the bot's references: `100-2` is line 2 of sales order 100. */
  const license = (order: string, smartAccount: string, virtualAccount: string) => {
    const [salesOrder, line] = order.split('-') as [string, string];
    return {
      smartAccount,
      virtualAccount,
      salesOrder,
      line,
      pid: 'C9300-DNA-E-24-3Y',
      quantity: 10,
      licenseType: 'smart',
      minorLines: [{ line: `${line}.1`, pid: 'C9300-DNA-E-24', quantity: 10 }],
    };
  };
  const device = (serialNumber: string, smartAccount: string, virtualAccount: string) => ({
    smartAccount,
    virtualAccount,
    serialNumber,
    pid: 'C9300-24T',
  });
  /** The file as it was before the transfers: everything in Lyon (fr-a.example). */
  const stale = {
    licenses: [
      license('105-1', 'fr-a.example', 'DEFAULT'),
      license('100-1', 'fr-a.example', 'DEFAULT'),
      license('100-2', 'fr-b.example', 'DEFAULT'),
    ],
    devices: [device('FOC0001', 'fr-a.example', 'Lab')],
  };
  const historyOf = (id: string) =>
    db.select().from(schema.history).where(eq(schema.history.transferId, id)).orderBy(schema.history.id);

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    db = database.db;
    dir = mkdtempSync(join(tmpdir(), 'inventory-completed-'));
    toParis = await completed('fr-a.example', 'fr-b.example', ['SO:105-1', 'SO:100-1', 'SN:FOC0001']);
    // 100-2 went to Paris and came back: its last completed transfer put it in Lyon.
    firstToParis = await completed('fr-a.example', 'fr-b.example', ['SO:100-2']);
    toLyon = await completed('fr-b.example', 'fr-a.example', ['SO:100-2']);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.dispose();
  });

  it('moves them, names each transfer and where the file put its assets, and keeps the transfer completed', async () => {
    deps.advance(60_000);
    const result = await importInventoryFile(deps, file('stale.json', stale));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.counts.licenses).toEqual({ created: 0, updated: 3, unchanged: 0 });
    expect(result.counts.devices).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const placed = [...result.placedElsewhere].sort(
      (a, b) => Number(b.transferId === toParis) - Number(a.transferId === toParis),
    );
    expect(placed).toEqual([
      {
        transferId: toParis,
        status: 'transfer_completed',
        destination: 'fr-b.example/DEFAULT',
        licenses: 2,
        devices: 1,
        places: [
          { place: 'fr-a.example/DEFAULT', assets: 2 },
          { place: 'fr-a.example/Lab', assets: 1 },
        ],
        refs: ['SO:105-1', 'SO:100-1', 'SN:FOC0001'],
      },
      // Only its last transfer is named: the file puts it where the first one had.
      {
        transferId: toLyon,
        status: 'transfer_completed',
        destination: 'fr-a.example/DEFAULT',
        licenses: 1,
        devices: 0,
        places: [{ place: 'fr-b.example/DEFAULT', assets: 1 }],
        refs: ['SO:100-2'],
      },
    ]);

    const [last] = (await historyOf(toParis)).slice(-1);
    expect(last).toMatchObject({
      at: deps.now(),
      actor: 'system',
      surface: 'cli',
      action: 'inventory.placed',
      fromStatus: null,
      toStatus: null,
      reason:
        'The inventory file puts them in fr-a.example/DEFAULT (2) and fr-a.example/Lab (1); this transfer had moved them to fr-b.example/DEFAULT.',
    });
    expect((await historyOf(firstToParis)).map((h) => h.action)).not.toContain('inventory.placed');

    const view = (await loadTransferView(deps, toParis, null))!;
    expect(view.status).toBe('transfer_completed');
    expect(view.items.map((i) => i.result)).toEqual(['transferred', 'transferred', 'transferred']);
    const entry = view.history.at(-1)!;
    const read = (locale: 'en' | 'fr' | 'ja') => {
      const text = historyEntryText(locale, entry);
      return [text.who, text.where, historySummary(locale, text), text.reason];
    };
    expect(read('en')).toEqual([
      'System',
      'Command line',
      'Inventory import placed 2 licenses and 1 device elsewhere',
      'The inventory file puts them in fr-a.example/DEFAULT (2) and fr-a.example/Lab (1); this transfer had moved them to fr-b.example/DEFAULT.',
    ]);
    expect(read('fr')).toEqual([
      'Système',
      'Ligne de commande',
      'L’import de l’inventaire a placé ailleurs 2 licences et 1 périphérique',
      'Emplacement selon le fichier d’inventaire\u00a0: fr-a.example/DEFAULT (2) et fr-a.example/Lab (1)\u00a0; destination de ce transfert\u00a0: fr-b.example/DEFAULT.',
    ]);
    expect(read('ja')).toEqual([
      'システム',
      'コマンドライン',
      'インベントリのインポートでライセンス2件、デバイス1件を別の場所に配置',
      'インベントリファイルでの配置先：fr-a.example/DEFAULT（2件）、fr-a.example/Lab（1件）。このトランザクションの転送先：fr-b.example/DEFAULT。',
    ]);
    expect((transferJson(view).history as unknown[]).at(-1)).toEqual({
      at: deps.now().toISOString(),
      actor: 'system',
      action: 'inventory.placed',
      surface: 'cli',
      from: null,
      to: null,
      reason: last!.reason,
      code: null,
    });
  });

  it('says nothing more, and records nothing, when the file already matches the inventory', async () => {
    const before = await db.$count(schema.history);
    const result = await importInventoryFile(deps, file('current.json', stale));
    expect(result).toMatchObject({ ok: true, placedElsewhere: [] });
    expect(await db.$count(schema.history)).toBe(before);
    // Moved once more, from where the file had put it: that transfer's move was already undone.
    const again = await importFile(
      deps,
      file('later.json', { devices: [device('FOC0001', 'fr-a.example', 'DEFAULT')] }),
    );
    expect(again).toBe(
      'legalEntities: 0 created, 0 updated, 0 unchanged; smartAccounts: 0 created, 0 updated, 0 unchanged; ' +
        'virtualAccounts: 0 created, 0 updated, 0 unchanged; users: 0 created, 0 updated, 0 unchanged; ' +
        'licenses: 0 created, 0 updated, 0 unchanged; devices: 0 created, 1 updated, 0 unchanged',
    );
    expect(await db.$count(schema.history)).toBe(before);
  });

  it('prints one line per transfer after the counts, naming the transaction and its items', async () => {
    const back = await completed('fr-a.example', 'fr-b.example', ['SN:FOC0001']);
    const printed = await importFile(
      deps,
      file('back.json', { devices: [device('FOC0001', 'fr-a.example', 'DEFAULT')] }),
    );
    expect(printed.split('\n').slice(1)).toEqual([
      `1 device (SN:FOC0001) moved by transfer ${back} (Transfer Completed) to fr-b.example/DEFAULT is placed in fr-a.example/DEFAULT by this file: is the file older than the transfer?`,
    ]);
  });

  it('names the first ten items of a transfer and counts the rest', async () => {
    await addBigOrder(db, { salesOrder: '960', lines: 12, inUse: [] });
    const lines = range(1, 12).map((n) => `960-${n}`);
    const big = await completed(
      'fr-a.example',
      'fr-b.example',
      lines.map((l) => `SO:${l}`),
    );
    const printed = await importFile(
      deps,
      file('big.json', { licenses: lines.map((l) => license(l, 'fr-a.example', 'DEFAULT')) }),
    );
    const named = range(1, 10).map((n) => `SO:960-${n}`);
    expect(printed.split('\n').slice(1)).toEqual([
      `12 licenses (among them ${named.slice(0, -1).join(', ')} and ${named.at(-1)}) moved by transfer ${big} (Transfer Completed) to fr-b.example/DEFAULT are placed in fr-a.example/DEFAULT by this file: is the file older than the transfer?`,
    ]);
  });
});
