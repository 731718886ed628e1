import { and, eq } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/console/render.js';
import { devices, licenses, smartAccounts, virtualAccounts } from '../../db/schema.js';
import { submitTransfer } from '../../src/app/actions.js';
import { dispatch } from '../../src/app/dispatch.js';
import { exportWorkbook } from '../../src/app/export.js';
import { historyEntryText } from '../../src/app/history-text.js';
import { requestTransfer } from '../../src/app/request.js';
import { transferJson } from '../../src/app/transfer-json.js';
import { loadTransferView } from '../../src/app/load-view.js';
import { parseCommand } from '../../src/commands/grammar.js';
import type { Actor } from '../../src/domain/types.js';
import { parseAssetRef } from '../../src/commands/asset-ref.js';
import { readWorkbook, table } from '../export/support.js';
import { surfaceDrivers, type TestDatabase } from '../support/db.js';
import { historyOf, toParis } from '../support/transfers.js';
import { actorIn, seededDatabase, type testDeps } from '../support/world.js';

const HOUR = 3600_000;
const UTC = { locale: 'en', timeZone: 'UTC' } as const;

/**
 * Licensing operations retry what failed in a transfer between two sites of one company, on the console.
 * The record keeps what they need: the completion date is when assets first moved (set by the first retry
 * that moves any, never moved by a later one); the history names each item that failed with its reason and
 * each that moved on retry; the Excel file says when each item moved and why it had failed before. An
 * item the inventory has since placed in the destination counts as moved. A retry clicked again moments
 * later is answered as the first was.
 */
describe.each(surfaceDrivers)('what a retry leaves on record (%s)', (driver) => {
  let database: TestDatabase;
  let deps: ReturnType<typeof testDeps>;
  let alice: Actor;
  let olga: Actor;

  beforeAll(async () => {
    ({ database, deps } = await seededDatabase(driver));
    [alice, olga] = await Promise.all([actorIn(deps, 'alice'), actorIn(deps, 'olga')]);
  });
  afterAll(() => database.dispose());

  /** A line typed on the console, as the console prints its answer. */
  async function typed(who: Actor, line: string): Promise<string> {
    const parsed = parseCommand(line);
    if (!parsed.ok) throw new Error(line);
    return renderReply(UTC, await dispatch(deps, who, parsed.command)).text;
  }

  const json = async (id: string) => transferJson((await loadTransferView(deps, id, null))!);

  /** A same-company transfer of these assets, submitted after `breakAssets` made some ineligible. */
  async function failedTransfer(refs: string[], breakAssets: () => Promise<unknown>): Promise<string> {
    const requested = await requestTransfer(deps, alice, {
      ...toParis(refs[0]!),
      assets: refs.map((ref) => parseAssetRef(ref)!),
    });
    if (!requested.ok) throw new Error(requested.refusal.message.key);
    await breakAssets();
    const submitted = await submitTransfer(deps, alice, requested.value.state.id);
    expect(submitted.ok && submitted.value.status).toBe('transfer_completed_with_failure');
    return requested.value.state.id;
  }

  const pendingUpgrade = (salesOrder: string, line: string, value: boolean) =>
    database.db
      .update(licenses)
      .set({ pendingUpgrade: value })
      .where(and(eq(licenses.salesOrder, salesOrder), eq(licenses.line, line)));

  async function workbook(id: string): Promise<ExcelJS.Workbook> {
    const file = await exportWorkbook(
      deps,
      olga,
      { kind: 'transaction', transactionId: id },
      { reader: UTC },
    );
    if (!file.ok) throw new Error(file.refusal.message.key);
    return readWorkbook(file.value.path);
  }

  it('dates, names and closes what failed when every item failed at first', async () => {
    const id = await failedTransfer(['SO:105-1', 'SN:FOC0001'], () =>
      Promise.all([
        pendingUpgrade('105', '1', true),
        database.db
          .update(devices)
          .set({ registration: 'ssm_onprem' })
          .where(eq(devices.serialNumber, 'FOC0001')),
      ]),
    );
    expect((await json(id)).completedAt).toBeNull();
    // Nothing moved: no item has a time it moved.
    expect(((await json(id)).items as { movedAt: unknown }[]).map((i) => i.movedAt)).toEqual([null, null]);

    // The license is fixed: the retry that moves it gives the transfer its completion date.
    deps.advance(HOUR);
    const firstMoved = deps.now();
    await pendingUpgrade('105', '1', false);
    expect(await typed(olga, `retry ${id}`)).toContain('1 of 2 failed items moved; 1 still failing.');
    expect((await json(id)).completedAt).toBe(firstMoved.toISOString());
    const listed = await dispatch(deps, olga, { type: 'list', smartAccount: 'fr-a.example' });
    const row = listed.kind === 'transfers' ? listed.rows.find((r) => r.id === id) : undefined;
    expect(row?.completedAt).toEqual(firstMoved);

    // Retry again moments later (clicked twice): the first answer, and nothing more on record.
    deps.advance(20_000);
    const again = await typed(olga, `retry ${id}`);
    expect(again).toContain('1 of 2 failed items moved; 1 still failing.');
    expect(again).toContain('Still failing: SN:FOC0001: registered to SSM On-Prem');
    expect(await historyOf(database.db, id, 'retry')).toHaveLength(1);
    // Minutes later, with nothing changed, it is another attempt, and on record as one.
    deps.advance(5 * 60_000);
    expect(await typed(olga, `retry ${id}`)).toContain('0 of 1 failed item moved; 1 still failing.');
    expect(await historyOf(database.db, id, 'retry')).toHaveLength(2);

    // The device is placed in the destination by an inventory import: the retry counts it as moved.
    const [destination] = await database.db
      .select({ sa: smartAccounts.id, va: virtualAccounts.id })
      .from(virtualAccounts)
      .innerJoin(smartAccounts, eq(smartAccounts.id, virtualAccounts.smartAccountId))
      .where(and(eq(smartAccounts.domain, 'fr-b.example'), eq(virtualAccounts.name, 'DEFAULT')));
    await database.db
      .update(devices)
      .set({ smartAccountId: destination!.sa, virtualAccountId: destination!.va, registration: 'direct' })
      .where(eq(devices.serialNumber, 'FOC0001'));
    deps.advance(HOUR);
    const lastMoved = deps.now();
    const closed = await typed(olga, `retry ${id}`);
    expect(closed).toContain(`Transaction ${id}: “Transfer Completed”. 1 of 1 failed item moved`);
    expect(closed).toContain(
      'SN:FOC0001: already in the destination Smart Account and Virtual Account: counted as moved.',
    );
    const shown = await json(id);
    expect(shown.status).toBe('transfer_completed');
    // Completing the transfer leaves the date assets first moved.
    expect(shown.completedAt).toBe(firstMoved.toISOString());
    // Each item with when it moved, as the Excel file says it: the license at the first retry, the device
    // at the last.
    expect(shown.items).toEqual([
      {
        ref: 'SO:105-1',
        kind: 'license',
        result: 'transferred',
        movedAt: firstMoved.toISOString(),
        reason: null,
      },
      {
        ref: 'SN:FOC0001',
        kind: 'device',
        result: 'transferred',
        movedAt: lastMoved.toISOString(),
        reason: 'already in the destination Smart Account and Virtual Account: counted as moved.',
      },
    ]);
    const steps = (shown.history ?? []) as { action: string; reason: string | null }[];
    expect(steps.filter((h) => h.action === 'execute' || h.action === 'retry').map((h) => h.reason)).toEqual([
      '0 of 2 items moved; 2 failed. Failed: SO:105-1: has a pending upgrade: finish the upgrade first. ' +
        'Failed: SN:FOC0001: registered to SSM On-Prem: it cannot be transferred.',
      '1 of 2 failed items moved; 1 still failing. Moved: SO:105-1. ' +
        'Still failing: SN:FOC0001: registered to SSM On-Prem: it cannot be transferred.',
      '0 of 1 failed item moved; 1 still failing. ' +
        'Still failing: SN:FOC0001: registered to SSM On-Prem: it cannot be transferred.',
      expect.stringMatching(
        /^1 of 1 failed item moved\. SN:FOC0001: already in the destination Smart Account and Virtual Account: counted as moved\.$/,
      ),
    ]);
    // In the reader's language, the sentences as Japanese joins them.
    const view = await loadTransferView(deps, id, olga);
    const executed = view!.history.find((h) => h.action === 'execute')!;
    expect(historyEntryText('ja', executed).reason).toBe(
      'アイテム2件のうち0件を転送しました。2件は失敗しました。失敗：SO:105-1：アップグレードが保留中です。先にアップグレードを完了してください。失敗：SN:FOC0001：SSMオンプレミスに登録された機器のため転送できません。',
    );

    // The Excel file: the completion date, and each item with when it moved and why it failed before.
    const [summary, items] = (await workbook(id)).worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    const facts = Object.fromEntries(table(summary).map((r) => [r['Field'], r['Value']]));
    expect(facts['Completion date (UTC)']).toEqual(firstMoved);
    const byRef = new Map(table(items).map((r) => [r['Reference'], r]));
    expect(byRef.get('SO:105-1')).toMatchObject({
      Result: 'Transferred',
      'Moved at (UTC)': firstMoved,
      Reason: null,
      'Failed before moving': 'has a pending upgrade: finish the upgrade first.',
    });
    expect(byRef.get('SN:FOC0001')).toMatchObject({
      Result: 'Transferred',
      'Moved at (UTC)': lastMoved,
      Reason: 'already in the destination Smart Account and Virtual Account: counted as moved.',
      'Failed before moving': 'registered to SSM On-Prem: it cannot be transferred.',
    });
  });

  it('keeps the date assets first moved when a retry moves the rest', async () => {
    const id = await failedTransfer(['SO:100-1', 'SO:100-2'], () => pendingUpgrade('100', '2', true));
    const firstMoved = deps.now();
    expect((await json(id)).completedAt).toBe(firstMoved.toISOString());
    deps.advance(3 * 24 * HOUR);
    await pendingUpgrade('100', '2', false);
    expect(await typed(olga, `retry ${id}`)).toContain('“Transfer Completed”. 1 of 1 failed item moved');
    expect((await json(id)).completedAt).toBe(firstMoved.toISOString());
    const [summary, items] = (await workbook(id)).worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    const facts = Object.fromEntries(table(summary).map((r) => [r['Field'], r['Value']]));
    expect(facts['Completion date (UTC)']).toEqual(firstMoved);
    // The item moved three days later says so.
    expect(table(items).map((r) => [r['Reference'], r['Moved at (UTC)']])).toEqual([
      ['SO:100-1', firstMoved],
      ['SO:100-1.1', null],
      ['SO:100-2', deps.now()],
      ['SO:100-2.1', null],
    ]);
  });
});
