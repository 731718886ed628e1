import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { smartAccounts, users } from '../../db/schema.js';
import { exportWorkbook } from '../../src/app/export.js';
import { drivers } from '../support/db.js';
import { actor, EMAILS } from '../support/world.js';
import { readWorkbook, table, useExportWorld } from './support.js';

describe.each(drivers)('what an export file says (%s)', (driver) => {
  const world = useExportWorld(driver);

  async function transactionFile(locale: 'en' | 'fr' | 'ja'): Promise<ExcelJS.Workbook> {
    const result = await exportWorkbook(
      world.deps,
      await actor(world.database.db, 'bob'),
      { kind: 'transaction', transactionId: world.walked.withFailure.id },
      { reader: { locale, timeZone: 'UTC' } },
    );
    if (!result.ok) throw new Error(result.refusal.message.key);
    return readWorkbook(result.value.path);
  }

  /** The summary's rows as label → value. */
  const facts = (sheet: ExcelJS.Worksheet): Record<string, unknown> =>
    Object.fromEntries(table(sheet).map((r) => Object.values(r).slice(0, 2) as [string, unknown]));

  it('names by code point what would disguise a text from the inventory, in every sheet', async () => {
    const { db } = world.database;
    await db
      .update(smartAccounts)
      .set({ name: 'Lumière\u202E Lyon' })
      .where(eq(smartAccounts.domain, 'fr-a.example'));
    await db.update(users).set({ name: 'Alice\u0007 Martin' }).where(eq(users.email, EMAILS.alice));
    try {
      const summary = (await transactionFile('en')).worksheets[0]!;
      expect(facts(summary)).toMatchObject({
        'Source Smart Account': 'LumièreU+202E Lyon (fr-a.example)',
        Requester: 'AliceU+0007 Martin <alice@fr.example>',
      });
      const account = await exportWorkbook(
        world.deps,
        await actor(db, 'bob'),
        { kind: 'smartAccount', smartAccount: 'be.example' },
        { reader: { locale: 'en', timeZone: 'UTC' } },
      );
      if (!account.ok) throw new Error(account.refusal.message.key);
      const [line] = table((await readWorkbook(account.value.path)).worksheets[0]!);
      expect(line).toMatchObject({ Requester: 'AliceU+0007 Martin <alice@fr.example>' });
    } finally {
      await db
        .update(smartAccounts)
        .set({ name: 'Lumière Lyon' })
        .where(eq(smartAccounts.domain, 'fr-a.example'));
      await db.update(users).set({ name: 'Alice Martin' }).where(eq(users.email, EMAILS.alice));
    }
  });

  it('tells in the summary who accepted the terms and when, and the legal entities, as `show` does', async () => {
    const [en, fr, ja] = await Promise.all(
      (['en', 'fr', 'ja'] as const).map(async (locale) =>
        facts((await transactionFile(locale)).worksheets[0]!),
      ),
    );
    expect(en).toMatchObject({
      'Source legal entity': 'Lumière Réseaux SAS',
      'Destination legal entity': 'Lumière Réseaux Belgique SA',
      'Terms and conditions': expect.stringMatching(
        /^Terms and conditions accepted by Alice Martin on \d+ \w+ 2026, \d\d:\d\d UTC$/,
      ),
    });
    expect(fr).toMatchObject({
      'Entité juridique source': 'Lumière Réseaux SAS',
      'Entité juridique de destination': 'Lumière Réseaux Belgique SA',
      'Conditions générales': expect.stringMatching(/^Conditions générales acceptées par Alice Martin le /),
    });
    expect(ja).toMatchObject({
      転送元リーガルエンティティー: 'Lumière Réseaux SAS',
      転送先リーガルエンティティー: 'Lumière Réseaux Belgique SA',
      利用規約: expect.stringMatching(/ に Alice Martin さんが利用規約に同意しました$/),
    });
  });

  it('names the product as the file’s author and last editor', async () => {
    const workbook = await transactionFile('en');
    expect([workbook.creator, workbook.lastModifiedBy]).toEqual(['Asset Transfer Bot', 'Asset Transfer Bot']);
  });

  it('names the file of an account whose domain is not ASCII by its punycode form', async () => {
    await world.database.db
      .insert(smartAccounts)
      .values({ domain: 'サクラ.jp', name: 'Sakura', legalEntityId: 'fr' });
    const result = await exportWorkbook(world.deps, null, {
      kind: 'smartAccount',
      smartAccount: 'サクラ.jp',
    });
    expect(result.ok && result.value.name).toMatch(
      /^transactions-xn--pckl1n\.jp-\d{8}-\d{6}-[0-9a-f]{8}\.xlsx$/,
    );
  });
});
