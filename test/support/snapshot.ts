import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { Q } from '../../db/client.js';
import * as schema from '../../db/schema.js';

const TABLES: PgTable[] = (Object.values(schema) as unknown[]).filter((value): value is PgTable =>
  is(value, PgTable),
);

/**
 * Every row of every table, as text in a stable order: two snapshots are equal exactly when nothing
 * was written in between. For a test's small database only.
 */
export async function databaseSnapshot(db: Q): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.select().from(table);
    snapshot[getTableName(table)] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** The transfers, their items and the request drafts: what a request that was refused must not have changed. */
export async function requestsOf(db: Q): Promise<Record<string, string[]>> {
  const snapshot = await databaseSnapshot(db);
  return {
    transfers: snapshot['transfers']!,
    transfer_items: snapshot['transfer_items']!,
    drafts: snapshot['drafts']!,
  };
}
