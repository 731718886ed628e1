import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { smartAccounts, users } from '../../db/schema.js';
import { exportWorkbook } from '../../src/app/export.js';
import { drivers } from '../support/db.js';
import { actor, EMAILS } from '../support/world.js';
import { readWorkbook, table, useExportWorld } from './support.js';

describe.each(drivers)('what an export file says of its transaction (%s)', (driver) => {
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
});
