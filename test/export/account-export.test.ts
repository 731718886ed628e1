import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { history } from '../../db/schema.js';
import { dispatch } from '../../src/app/dispatch.js';
import { displayWidth } from '../../src/app/export-table.js';
import { exportWorkbook, exportWorkbookTo } from '../../src/app/export.js';
import { tr } from '../../src/i18n/index.js';
import { drivers } from '../support/db.js';
import { actor, EMAILS } from '../support/world.js';
import {
  expectReadyTable,
  expectWidthsFit,
  filesIn,
  readWorkbook,
  setTimeZone,
  table,
  useExportWorld,
} from './support.js';

const ENGLISH_HEADERS = [
  'Transaction ID',
  'Source Smart Account',
  'Source Virtual Account',
  'Destination Smart Account',
  'Destination Virtual Account',
  'Same company',
  'Requester',
  'Transferee',
  'Transaction date (UTC)',
  'Completion date (UTC)',
  'Status',
];

describe.each(drivers)('Smart Account export (%s)', (driver) => {
  const world = useExportWorld(driver);

  it('lists the account’s transactions in English with real dates, a frozen header and filters', async () => {
    const bob = await actor(world.database.db, 'bob');
    const result = await exportWorkbook(
      world.deps,
      bob,
      { kind: 'smartAccount', smartAccount: 'be.example' },
      { reader: { locale: 'en', timeZone: 'UTC' } },
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    expect(result.value.path.startsWith(world.deps.config.exportDir)).toBe(true);
    expect(result.value.name).toMatch(/^transactions-be\.example-\d{8}-\d{6}-[0-9a-f]{8}\.xlsx$/);

    const workbook = await readWorkbook(result.value.path);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Transactions']);
    const sheet = workbook.worksheets[0]!;
    expect(table(sheet).length).toBe(1);
    expect(sheet.getRow(1).values).toEqual([undefined, ...ENGLISH_HEADERS]);
    // Bob administers only be.example: the fr-a → fr-b transfer is not his to see.
    expect(table(sheet)[0]).toEqual({
      'Transaction ID': world.walked.withFailure.id,
      'Source Smart Account': 'Lumière Lyon (fr-a.example)',
      'Source Virtual Account': 'All Virtual Accounts',
      'Destination Smart Account': 'Lumière Belgique (be.example)',
      'Destination Virtual Account': 'DEFAULT',
      'Same company': 'No',
      Requester: 'Alice Martin <alice@fr.example>',
      Transferee: 'Bob Peeters <bob@be.example>',
      'Transaction date (UTC)': world.walked.withFailure.createdAt,
      'Completion date (UTC)': world.walked.withFailure.completedAt,
      Status: 'Transfer Completed with Failure',
    });
    for (const column of [9, 10]) {
      const cell = sheet.getRow(2).getCell(column);
      expect(cell.type).toBe(ExcelJS.ValueType.Date);
      expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm');
    }
    expectReadyTable(sheet);
    expectWidthsFit(sheet, displayWidth);
  });

  it('speaks French to a French reader and shows dates in her time zone', async () => {
    const alice = await actor(world.database.db, 'alice');
    await setTimeZone(world.database.db, EMAILS.alice, 'Europe/Paris');
    // No reader given: Alice reads as the inventory knows her (French, and now in Paris).
    const result = await exportWorkbook(world.deps, alice, {
      kind: 'smartAccount',
      smartAccount: 'fr-a.example',
    });
    await setTimeZone(world.database.db, EMAILS.alice, null);
    if (!result.ok) throw new Error(result.refusal.message.key);
    const workbook = await readWorkbook(result.value.path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Transactions');
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'ID de transaction',
      'Compte Smart source',
      'Compte virtuel source',
      'Compte Smart de destination',
      'Compte virtuel de destination',
      'Même entreprise',
      'Demandeur',
      'Cessionnaire',
      'Date de la transaction (Europe/Paris)',
      'Date d’achèvement (Europe/Paris)',
      'Statut',
    ]);
    const rows = table(sheet);
    // Newest first, both transfers of fr-a.example.
    expect(rows.map((r) => r['ID de transaction'])).toEqual([
      world.walked.withFailure.id,
      world.walked.sameCompany.id,
    ]);
    expect(rows.map((r) => r['Statut'])).toEqual(['Transfert terminé avec échec', 'Transfert terminé']);
    expect(rows.map((r) => r['Même entreprise'])).toEqual(['Non', 'Oui']);
    expect(rows[1]!['Compte virtuel source']).toBe('Tous les comptes virtuels');
    // November in Paris is UTC+1: the cell holds the wall-clock time a Parisian reads.
    const created = rows[0]!['Date de la transaction (Europe/Paris)'] as Date;
    expect(created.getTime() - world.walked.withFailure.createdAt.getTime()).toBe(3600_000);
    expectReadyTable(sheet);
  });

  it('names each account in Japanese as the transaction’s own file does: name, then its domain in full-width brackets', async () => {
    const alice = await actor(world.database.db, 'alice');
    const result = await exportWorkbook(
      world.deps,
      alice,
      { kind: 'smartAccount', smartAccount: 'fr-a.example' },
      { reader: { locale: 'ja', timeZone: 'Asia/Tokyo' } },
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    const rows = table((await readWorkbook(result.value.path)).worksheets[0]!);
    expect(rows.map((r) => [r['転送元スマートアカウント'], r['転送先スマートアカウント']])).toEqual([
      ['Lumière Lyon（fr-a.example）', 'Lumière Belgique（be.example）'],
      ['Lumière Lyon（fr-a.example）', 'Lumière Paris（fr-b.example）'],
    ]);
  });

  it('refuses an account the user does not administer, audits it and writes no file', async () => {
    const bob = await actor(world.database.db, 'bob');
    const before = filesIn(world.deps.config.exportDir);
    const result = await exportWorkbook(world.deps, bob, {
      kind: 'smartAccount',
      smartAccount: 'fr-a.example',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.refusal.message).toEqual({
      key: 'core:refusal.notAdminOf',
      params: { domain: 'fr-a.example' },
    });
    expect(filesIn(world.deps.config.exportDir)).toEqual(before);
    const audited = await world.database.db
      .select()
      .from(history)
      .where(eq(history.action, 'refused.export'));
    expect(audited.some((h) => h.actor === EMAILS.bob && h.reason === 'forbidden')).toBe(true);
  });

  it('answers the chat command with the file in the language the platform gave, or with the refusal', async () => {
    const bob = await actor(world.database.db, 'bob');
    const ok = await dispatch(
      world.deps,
      bob,
      { type: 'export', target: { kind: 'smartAccount', smartAccount: 'be.example' } },
      { reader: { locale: 'ja', timeZone: 'UTC' } },
    );
    if (ok.kind !== 'file') throw new Error(ok.kind);
    const sheet = (await readWorkbook(ok.path)).worksheets[0]!;
    expect(sheet.name).toBe('トランザクション');
    expect(table(sheet)[0]).toMatchObject({
      トランザクションID: world.walked.withFailure.id,
      同じ会社: 'いいえ',
      ステータス: '転送完了（一部失敗）',
      依頼者: 'Alice Martin（alice@fr.example）',
    });
    const no = await dispatch(world.deps, bob, {
      type: 'export',
      target: { kind: 'smartAccount', smartAccount: 'fr-b.example' },
    });
    expect(no).toMatchObject({ kind: 'refused', refusal: { code: 'forbidden' } });
  });

  it('says, in the reply and in the file, when an account holds more transactions than a file takes', async () => {
    const alice = await actor(world.database.db, 'alice');
    const command = {
      type: 'export',
      target: { kind: 'smartAccount', smartAccount: 'fr-a.example' },
    } as const;
    // fr-a.example has two transactions: a file that takes one holds the newer.
    const exported = async (rows: number, locale: 'en' | 'fr') => {
      world.deps.config.accountExportRows = rows;
      try {
        return await dispatch(world.deps, alice, command, { reader: { locale, timeZone: 'UTC' } });
      } finally {
        world.deps.config.accountExportRows = undefined;
      }
    };
    const reply = await exported(1, 'fr');
    const whole = await exported(2, 'en');
    if (reply.kind !== 'file' || whole.kind !== 'file') throw new Error(`${reply.kind} ${whole.kind}`);

    expect(tr('fr', reply.notice)).toBe(
      `Fichier Excel prêt\u00a0: ${reply.name}. Ce fichier ne contient que les 1 transactions les plus récentes\u00a0; les plus anciennes n’y sont pas.`,
    );
    const workbook = await readWorkbook(reply.path);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Transactions', 'Liste partielle']);
    expect(table(workbook.worksheets[0]!).map((r) => r['ID de transaction'])).toEqual([
      world.walked.withFailure.id,
    ]);
    expect(table(workbook.worksheets[1]!)).toEqual([
      {
        Remarque:
          'Ce fichier ne contient que les 1 transactions les plus récentes\u00a0; les plus anciennes n’y sont pas.',
      },
    ]);

    // As many transactions as the file takes: the whole list, said plainly.
    expect(tr('en', whole.notice)).toBe(`Excel file ready: ${whole.name}`);
    const wholeBook = await readWorkbook(whole.path);
    expect(wholeBook.worksheets.map((s) => s.name)).toEqual(['Transactions']);
    expect(table(wholeBook.worksheets[0]!)).toHaveLength(2);
  });

  it('gives two exports in the same second two different files', async () => {
    const alice = await actor(world.database.db, 'alice');
    const target = { kind: 'smartAccount', smartAccount: 'fr-a.example' } as const;
    const [a, b] = await Promise.all([
      exportWorkbook(world.deps, alice, target),
      exportWorkbook(world.deps, alice, target),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.path).not.toBe(b.value.path);
    expect(filesIn(world.deps.config.exportDir)).toEqual(
      expect.arrayContaining([a.value.name, b.value.name]),
    );
  });

  it('lets the operator export any account to a chosen path, and asks for a target', async () => {
    const out = `${world.deps.config.exportDir}/cli/fr-a.xlsx`;
    const result = await exportWorkbookTo(
      world.deps,
      null,
      { kind: 'smartAccount', smartAccount: 'fr-a.example' },
      out,
    );
    expect(result.ok && result.value).toEqual({ path: out, name: 'fr-a.xlsx' });
    const sheet = (await readWorkbook(out)).worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...ENGLISH_HEADERS]);
    expect(table(sheet).map((r) => r['Transaction ID'])).toEqual([
      world.walked.withFailure.id,
      world.walked.sameCompany.id,
    ]);
    expect(filesIn(`${world.deps.config.exportDir}/cli`)).toEqual(['fr-a.xlsx']);

    const none = await exportWorkbook(world.deps, null, undefined);
    expect(!none.ok && none.refusal.message.key).toBe('core:refusal.exportTarget');
    const unknown = await exportWorkbook(world.deps, null, {
      kind: 'smartAccount',
      smartAccount: 'nowhere.example',
    });
    expect(!unknown.ok && unknown.refusal.message.key).toBe('core:refusal.unknownAccount');
  });
});
