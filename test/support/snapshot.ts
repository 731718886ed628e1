import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { Q } from '../../db/client.js';
import * as schema from '../../db/schema.js';

const TABLES: PgTable[] = (Object.values(schema) as unknown[]).filter((value): value is PgTable =>
  is(value, PgTable),
);

/**
 * Every row of every table (or of the tables named), as text in a stable order: two snapshots are equal
 * exactly when nothing was written in between. For a test's small database only.
 */
export async function databaseSnapshot(db: Q, only?: readonly string[]): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of TABLES) {
    const name = getTableName(table);
    if (only && !only.includes(name)) continue;
    const rows = await db.select().from(table);
    snapshot[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** The transfers, their items and the request drafts: what a request that was refused must not have changed. */
export const requestsOf = (db: Q) => databaseSnapshot(db, ['transfers', 'transfer_items', 'drafts']);
