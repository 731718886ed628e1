import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { licenses, smartAccounts, virtualAccounts } from '../../db/schema.js';

/** The lines of a big sales order, and those that carry warnings or will fail. */
export interface BigOrder {
  salesOrder: string;
  lines: number;
  /** Lines in use on devices when the transfer is asked for: each item carries a warning. */
  inUse: number[];
}

/** Adds a sales order of `lines` licenses to fr-a.example's DEFAULT Virtual Account. */
export async function addBigOrder(db: Db, order: BigOrder): Promise<void> {
  const [frA] = await db.select().from(smartAccounts).where(eq(smartAccounts.domain, 'fr-a.example'));
  const [va] = await db
    .select()
    .from(virtualAccounts)
    .where(and(eq(virtualAccounts.smartAccountId, frA!.id), eq(virtualAccounts.name, 'DEFAULT')));
  const inUse = new Set(order.inUse);
  await db.insert(licenses).values(
    Array.from({ length: order.lines }, (_, n) => ({
      smartAccountId: frA!.id,
      virtualAccountId: va!.id,
      salesOrder: order.salesOrder,
      line: String(n + 1),
      pid: 'C9300-DNA-E-24-3Y',
      description: 'DNA Essentials 24-port, 3 years',
      quantity: 10,
      licenseType: 'smart' as const,
      inUse: inUse.has(n + 1) ? 4 : 0,
      minorLines: [{ line: `${n + 1}.1`, pid: 'C9300-DNA-E-24', quantity: 10 }],
    })),
  );
}

/** These lines get an upgrade pending: moved after this, their items fail. */
export async function blockLines(db: Db, salesOrder: string, lines: number[]): Promise<void> {
  await db
    .update(licenses)
    .set({ pendingUpgrade: true })
    .where(and(eq(licenses.salesOrder, salesOrder), inArray(licenses.line, lines.map(String))));
}

/** 1, 2, …, n. */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, n) => from + n);
