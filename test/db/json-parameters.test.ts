import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { anyOf, appendHistoryMany, enqueueMany } from '../../db/bulk-writes.js';
import { history, outbox } from '../../db/schema.js';
import { transferRepository } from '../../db/transfers-repo.js';
import { createTestDatabase, drivers, type TestDatabase } from '../support/db.js';

/**
 * JSON parameters reach the database intact whatever they hold: on PGlite they travel in jsonb's binary
 * form (db/client.ts), on a server as text. Names and reasons come in French and Japanese, and people
 * paste emoji and quotes into reasons.
 */
const TEXTS = [
  'Transfert refusé : « licence déjà utilisée »',
  '資産移管の同意をお願いします（期限：３日）',
  'emoji 🚀 and a surrogate pair 𝄞, a quote " and a backslash \\',
  'line one\nline two\ttabbed',
  '',
];

describe.each(drivers)('JSON parameters (%s)', (driver) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database.dispose());

  it('reads back what a jsonb parameter carried, character for character', async () => {
    for (const text of TEXTS) {
      const json = JSON.stringify({ text, list: [text, 1, null, true] });
      const result = await database.db.execute(sql`select (${json}::jsonb) as value`);
      const [row] = rowsOf<{ value: unknown }>(result);
      expect(row?.value).toEqual({ text, list: [text, 1, null, true] });
    }
  });

  it('keeps the text of rows written one at a time and in bulk', async () => {
    const at = new Date('2026-11-22T09:00:00Z');
    const base = { at, actor: 'system', surface: 'system' as const, reason: null };
    await transferRepository(database.db).appendHistory([
      { ...base, action: 'json.single', details: { texts: TEXTS } },
    ]);
    await appendHistoryMany(
      database.db,
      TEXTS.map((text) => ({ ...base, action: 'json.bulk', details: { text } })),
    );
    await enqueueMany(
      database.db,
      at,
      TEXTS.map((text, i) => ({
        dedupeKey: `json-parameters:${i}:${text}`,
        recipientChannel: 'compliance',
        payload: {
          type: 'message',
          transferId: 'T-JSON',
          text: { key: 'reminders:consent.howTo', params: { id: text } },
        },
      })),
    );

    const [single] = await database.db.select().from(history).where(eq(history.action, 'json.single'));
    expect(single?.details).toEqual({ texts: TEXTS });
    const bulk = await database.db
      .select()
      .from(history)
      .where(eq(history.action, 'json.bulk'))
      .orderBy(history.id);
    expect(bulk.map((h) => (h.details as { text: string }).text)).toEqual(TEXTS);
    const queued = await database.db.select().from(outbox).orderBy(outbox.id);
    expect(queued.map((o) => o.dedupeKey)).toEqual(TEXTS.map((text, i) => `json-parameters:${i}:${text}`));
    expect(queued.map((o) => o.payload.text?.params?.['id'])).toEqual(TEXTS);
  });

  it('matches text keys passed as a JSON list', async () => {
    const actions = await database.db
      .selectDistinct({ action: history.action })
      .from(history)
      .where(anyOf(history.action, ['json.bulk', 'json.single', 'absent'], 'text'));
    expect(actions.map((a) => a.action).sort()).toEqual(['json.bulk', 'json.single']);
  });
});
