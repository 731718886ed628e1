import { inArray } from 'drizzle-orm';
import type { Q } from './client.js';
import { transfers } from './schema.js';
import type { TransferRow } from './transfers-repo.js';

// PostgreSQL takes at most 65,535 parameters per statement; an account's export may list more transfers.
const CHUNK = 5000;

/** Transfer rows by id, in the order asked (ids that do not exist are skipped). */
export async function transfersByIds(q: Q, ids: string[]): Promise<TransferRow[]> {
  const found = new Map<string, TransferRow>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await q
      .select()
      .from(transfers)
      .where(inArray(transfers.id, ids.slice(i, i + CHUNK)));
    for (const row of rows) found.set(row.id, row);
  }
  return ids.flatMap((id) => {
    const row = found.get(id);
    return row ? [row] : [];
  });
}
