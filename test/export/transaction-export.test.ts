import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { devices, licenses } from '../../db/schema.js';
import { displayWidth } from '../../src/app/export-table.js';
import { exportWorkbook } from '../../src/app/export.js';
import { drivers } from '../support/db.js';
import { actor } from '../support/world.js';
import {
  expectReadyTable,
  expectWidthsFit,
  filesIn,
  HOUR,
  readWorkbook,
  table,
  useExportWorld,
} from './support.js';

/** The items sheet's columns, in English. */
const ITEM_COLUMNS = [
  'Reference',
  'Kind',
  'PID',
  'Description',
  'Quantity',
  'License type',
  'Web order',
  'Subscription ID',
  'PAK number',
  'Host ID',
  'UUID',
  'PnP status',
  'Registration',
  'Result',
  'Moved at (UTC)',
  'Reason',
  'Failed before moving',
  'Warnings and notes',
] as const;

/** An items row as read back: every column present, empty ones null. */
const itemRow = (values: Partial<Record<(typeof ITEM_COLUMNS)[number], unknown>>) => ({
  ...Object.fromEntries(ITEM_COLUMNS.map((column) => [column, null])),
  ...values,
});

describe.each(drivers)('transaction export (%s)', (driver) => {
  const world = useExportWorld(driver, async ({ database }) => {
    // What people search these assets by, shown beside them in the items sheet.
    await database.db
      .update(licenses)
      .set({ webOrder: 'WO-103', subscriptionId: 'Sub-103', pak: 'PAK-103' })
      .where(eq(licenses.salesOrder, '103'));
    await world.database.db
      .update(devices)
      .set({ hostId: 'HOST-2', uuid: 'uuid-2', pnpStatus: 'provisioned', licenseType: 'classic' })
      .where(eq(devices.serialNumber, 'FOC0002'));
  });

  async function exported(name: 'alice' | 'bob' | 'olga', locale: 'en' | 'fr' | 'ja') {
    const who = await actor(world.database.db, name);
    const result = await exportWorkbook(
      world.deps,
      who,
      { kind: 'transaction', transactionId: world.walked.withFailure.id },
      { reader: { locale, timeZone: 'UTC' } },
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    expect(result.value.name).toMatch(
      new RegExp(`^${world.walked.withFailure.id}-\\d{8}-\\d{6}-[0-9a-f]{8}\\.xlsx$`),
    );
    return readWorkbook(result.value.path);
  }

  it('has a summary, the items with their results, and the full history (English)', async () => {
    const workbook = await exported('bob', 'en');
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Items', 'Transaction history']);
    const [summary, items, history] = workbook.worksheets as [
      ExcelJS.Worksheet,
      ExcelJS.Worksheet,
      ExcelJS.Worksheet,
    ];

    const facts = Object.fromEntries(table(summary).map((r) => [r['Field'], r['Value']]));
    expect(facts).toMatchObject({
      'Transaction ID': world.walked.withFailure.id,
      Status: 'Transfer Completed with Failure',
      'What the status means':
        'One or more assets failed to transfer; any that did not fail were transferred.',
      'Source Smart Account': 'Lumière Lyon (fr-a.example)',
      'Destination Smart Account': 'Lumière Belgique (be.example)',
      'Destination Virtual Account': 'DEFAULT',
      'Same company (same legal entity)': 'No',
      'Requested by a partner': 'No',
      Requester: 'Alice Martin <alice@fr.example>',
      Transferee: 'Bob Peeters <bob@be.example>',
      'Business justification': 'Brussels office opening',
      'Transferee company legal name': 'Lumière Réseaux Belgique SA',
      'Transaction date (UTC)': world.walked.withFailure.createdAt,
      'Submitted for transfer (UTC)': new Date(world.walked.withFailure.createdAt.getTime() + HOUR),
      'Completion date (UTC)': world.walked.withFailure.completedAt,
      'Consent of the transferee (Bob Peeters)': expect.stringMatching(
        /^approved by Bob Peeters on \d+ \w+ 2026, \d\d:\d\d UTC$/,
      ),
      'Compliance screening': expect.stringMatching(/^approved by Cora Compliance on /),
      Items: '3 items in all: 2 transferred, 0 pending, 0 not transferred, 1 failed, 0 excluded',
      'Exported by': 'Bob Peeters <bob@be.example>',
    });
    const transactionDate = summary
      .getRow(2 + table(summary).findIndex((r) => r['Field'] === 'Transaction date (UTC)'))
      .getCell(2);
    expect(transactionDate.type).toBe(ExcelJS.ValueType.Date);

    expect(items.getRow(1).values).toEqual([undefined, ...ITEM_COLUMNS]);
    // Quantities are grouped by thousands, with the separator of the reader's own Excel settings.
    expect(items.getRow(2).getCell(ITEM_COLUMNS.indexOf('Quantity') + 1).numFmt).toBe('#,##0');
    // The failed item first, then those with warnings, each in the order added; minor lines follow their license.
    expect(table(items)).toEqual([
      itemRow({
        Reference: 'SO:100-2',
        Kind: 'License',
        PID: 'C9300-DNA-E-24-3Y',
        Description: 'DNA Essentials 24-port, 3 years',
        Quantity: 10,
        'License type': 'Smart',
        Result: 'Failed',
        Reason: 'has a pending upgrade: finish the upgrade first.',
      }),
      itemRow({
        Reference: 'SO:100-2.1',
        Kind: 'Minor line',
        PID: 'C9300-DNA-E-24',
        Quantity: 10,
      }),
      itemRow({
        Reference: 'SO:103-1',
        Kind: 'License',
        PID: 'C9300-DNA-E-24-3Y',
        Description: 'DNA Essentials 24-port, 3 years',
        Quantity: 10,
        'License type': 'Smart',
        'Web order': 'WO-103',
        'Subscription ID': 'Sub-103',
        'PAK number': 'PAK-103',
        Result: 'Transferred',
        'Moved at (UTC)': world.walked.withFailure.completedAt,
        'Warnings and notes':
          'in use on 4 devices: those devices will be out of compliance after the transfer.',
      }),
      itemRow({
        Reference: 'SO:103-1.1',
        Kind: 'Minor line',
        PID: 'C9300-DNA-E-24',
        Quantity: 10,
      }),
      itemRow({
        Reference: 'SN:FOC0002',
        Kind: 'Device',
        PID: 'C9300-24T',
        Quantity: 1,
        'License type': 'Classic',
        'Host ID': 'HOST-2',
        UUID: 'uuid-2',
        'PnP status': 'Provisioned',
        Registration: 'CSLU',
        Result: 'Transferred',
        'Moved at (UTC)': world.walked.withFailure.completedAt,
        'Warnings and notes':
          'registered through CSLU: update the Smart Account in the CSLU preferences afterwards.',
      }),
    ]);

    expect(history.getRow(1).values).toEqual([
      undefined,
      'Time (UTC)',
      'Actor',
      'Channel',
      'Action',
      'Status before',
      'Status after',
      'Reason',
    ]);
    const record = table(history);
    expect(record.map((h) => [h['Action'], h['Status after']])).toEqual([
      ['Transfer requested', 'Validation Initiated'],
      ['Assets validated', 'Validation Completed'],
      ['Assets validated', 'Pending Submission'],
      ['Submitted for transfer', 'Submitted'],
      ['Submitted for transfer', 'Submitted – Awaiting Transferor/Transferee Consent'],
      ['Consent given', 'Compliance Screening'],
      ['Compliance screening approved', 'Transfer Initiated'],
      ['Assets transferred', 'Transfer Completed with Failure'],
    ]);
    expect(record[0]).toMatchObject({
      'Time (UTC)': world.walked.withFailure.createdAt,
      Actor: 'alice@fr.example',
      Channel: 'Console',
      'Status before': null,
    });
    expect(record[1]).toMatchObject({ Actor: 'System' });
    // The transfer's own row says how many items moved, and names each that failed with its reason.
    expect(record.at(-1)).toMatchObject({
      Actor: 'System',
      Reason:
        '2 of 3 items moved; 1 failed. Failed: SO:100-2: has a pending upgrade: finish the upgrade first.',
    });
    expect(record[5]).toMatchObject({
      Actor: 'bob@be.example',
      'Status before': 'Submitted – Awaiting Transferor/Transferee Consent',
    });
    const time = history.getRow(2).getCell(1);
    expect(time.type).toBe(ExcelJS.ValueType.Date);
    expect(time.numFmt).toBe('yyyy-mm-dd hh:mm:ss');

    for (const sheet of [summary, items, history]) {
      expectReadyTable(sheet);
      expectWidthsFit(sheet, displayWidth);
    }
  });

  it('translates headers, results, reasons and statuses for a French reader', async () => {
    const workbook = await exported('alice', 'fr');
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Récapitulatif', 'Éléments', 'Historique']);
    const [summary, items, history] = workbook.worksheets as [
      ExcelJS.Worksheet,
      ExcelJS.Worksheet,
      ExcelJS.Worksheet,
    ];
    const facts = Object.fromEntries(table(summary).map((r) => [r['Champ'], r['Valeur']]));
    expect(facts).toMatchObject({
      'ID de transaction': world.walked.withFailure.id,
      Statut: 'Transfert terminé avec échec',
      // Both labels are masculine nouns: the decision agrees with them.
      'Consentement du cessionnaire (Bob Peeters)': expect.stringMatching(
        /^approuvé par Bob Peeters le \d+ nov\. 2026/,
      ),
      'Contrôle de conformité': expect.stringMatching(/^approuvé par Cora Compliance le /),
      // Each count agrees with its own number.
      Éléments: '3 éléments au total\u00a0: 2 transférés, 0 en attente, 0 non transféré, 1 en échec, 0 exclu',
      // The portal's English name once, beside the meaning.
      'Signification du statut': expect.stringMatching(
        /^Portail Cisco\u00a0: «\u00a0Transfer Completed with Failure\u00a0»\. Le transfert d’un ou de plusieurs actifs a échoué/,
      ),
    });
    expect(items.getRow(1).values).toEqual([
      undefined,
      'Référence',
      'Type',
      'PID',
      'Description',
      'Quantité',
      'Type de licence',
      'Commande Web',
      'ID d’abonnement',
      'Numéro PAK',
      'ID d’hôte',
      'UUID',
      'Statut PnP',
      'Enregistrement',
      'Résultat',
      'Transféré le (UTC)',
      'Motif',
      'Échec avant le transfert',
      'Avertissements et remarques',
    ]);
    const failed = table(items).find((r) => r['Référence'] === 'SO:100-2')!;
    expect(failed).toMatchObject({
      Type: 'Licence',
      Résultat: 'Échec',
      Motif: 'une mise à niveau est en attente\u00a0: terminez d’abord la mise à niveau.',
    });
    expect(table(items).find((r) => r['Référence'] === 'SO:100-2.1')).toMatchObject({
      Type: 'Ligne secondaire',
      Résultat: null,
    });
    expect(table(items).find((r) => r['Référence'] === 'SN:FOC0002')).toMatchObject({
      'Type de licence': 'Classique',
      'Statut PnP': 'Provisionné',
    });
    expect(history.getRow(1).values).toEqual([
      undefined,
      'Date et heure (UTC)',
      'Auteur',
      'Canal',
      'Action',
      'Statut avant',
      'Statut après',
      'Motif',
    ]);
    expect(table(history).map((h) => h['Statut après'])).toContain('Contrôle de conformité');
    expect(table(history).at(-1)).toMatchObject({
      Auteur: 'Système',
      'Statut après': 'Transfert terminé avec échec',
    });
  });

  it('translates into Japanese with the guide’s terms, and widens columns for wide characters', async () => {
    const workbook = await exported('olga', 'ja');
    const [summary, items] = workbook.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['概要', 'アイテム', '履歴']);
    const facts = Object.fromEntries(table(summary).map((r) => [r['項目'], r['値']]));
    expect(facts['転送元スマートアカウント']).toBe('Lumière Lyon（fr-a.example）');
    // A person's address in full-width brackets, as every Japanese surface writes it.
    expect(facts['依頼者']).toBe('Alice Martin（alice@fr.example）');
    expect(facts['エクスポート実行者']).toMatch(/^Olga .+（olga@.+）$/);
    expect(facts['譲受人（転送先）の同意（Bob Peeters）']).toMatch(/ に Bob Peeters さんが承認しました$/);
    expect(facts['アイテム']).toBe('合計3件：転送済み2件、保留中0件、未転送0件、失敗1件、除外0件');
    expect(facts['ステータスの説明']).toMatch(
      /^ポータル表記：「Transfer Completed with Failure」。転送に失敗したAssetがあります。/,
    );
    expect(facts['ステータス']).toBe('転送完了（一部失敗）');
    // Named after the transaction: 転送開始 is a status, and its day another date.
    expect(facts['トランザクション日（UTC）']).toEqual(world.walked.withFailure.createdAt);
    expect(table(items).map((r) => r['結果'])).toEqual(['失敗', null, '転送済み', null, '転送済み']);
    expect(table(items).map((r) => r['種類'])).toContain('マイナーライン');
    expectWidthsFit(summary, displayWidth);
    expect(summary.getColumn(1).width).toBeGreaterThanOrEqual(displayWidth('転送元スマートアカウント'));
  });

  it('names the file with the date and time on the reader’s clock, as the dates inside are', async () => {
    const id = world.walked.withFailure.id;
    const clock = (timeZone: string) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
        .format(world.deps.now())
        .replace(/[-:]/g, '')
        .replace(' ', '-');
    expect(clock('Europe/Paris')).not.toBe(clock('UTC'));
    const result = await exportWorkbook(
      world.deps,
      await actor(world.database.db, 'alice'),
      { kind: 'transaction', transactionId: id },
      { reader: { locale: 'fr', timeZone: 'Europe/Paris' } },
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    expect(result.value.name).toMatch(new RegExp(`^${id}-${clock('Europe/Paris')}-[0-9a-f]{8}\\.xlsx$`));
  });

  it('refuses someone who may not see the transaction and writes no file', async () => {
    const [eve, carol] = await Promise.all([
      actor(world.database.db, 'eve'),
      actor(world.database.db, 'carol'),
    ]);
    const before = filesIn(world.deps.config.exportDir);
    const refusedEve = await exportWorkbook(world.deps, eve, {
      kind: 'transaction',
      transactionId: world.walked.withFailure.id,
    });
    expect(!refusedEve.ok && refusedEve.refusal.message).toEqual({
      key: 'core:refusal.notFound',
      params: { id: world.walked.withFailure.id },
    });
    const unknown = await exportWorkbook(world.deps, carol, {
      kind: 'transaction',
      transactionId: 'AT-NOTHERE',
    });
    expect(!unknown.ok && unknown.refusal.code).toBe('not_found');
    expect(filesIn(world.deps.config.exportDir)).toEqual(before);
    // Carol administers the source account: she may.
    const allowed = await exportWorkbook(world.deps, carol, {
      kind: 'transaction',
      transactionId: world.walked.withFailure.id,
    });
    expect(allowed.ok).toBe(true);
  });
});
