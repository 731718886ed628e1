import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Status } from '../src/domain/status.js';
import type { ConsentState, TransferState } from '../src/domain/types.js';
import type { Q } from './client.js';
import { consents, history, outbox, transferItems, transfers, users, type OutboxPayload } from './schema.js';

export type TransferRow = typeof transfers.$inferSelect;
export type ItemRow = typeof transferItems.$inferSelect;
export type HistoryRow = typeof history.$inferSelect;
export type NewHistory = typeof history.$inferInsert;

export async function loadTransferRow(q: Q, id: string): Promise<TransferRow | undefined> {
  const [row] = await q.select().from(transfers).where(eq(transfers.id, id));
  return row;
}

export async function loadTransferState(
  q: Q,
  id: string,
): Promise<{ state: TransferState; row: TransferRow } | undefined> {
  const row = await loadTransferRow(q, id);
  if (!row) return undefined;
  const decider = alias(users, 'decider');
  const consentRows = await q
    .select({ c: consents, deciderName: decider.name })
    .from(consents)
    .leftJoin(decider, eq(decider.id, consents.decidedById))
    .where(eq(consents.transferId, id))
    .orderBy(asc(consents.id));
  let screenedByName: string | null = null;
  if (row.screenedById !== null) {
    const [u] = await q.select({ name: users.name }).from(users).where(eq(users.id, row.screenedById));
    screenedByName = u?.name ?? null;
  }
  return {
    row,
    state: toState(
      row,
      consentRows.map((r) => toConsent(r.c, r.deciderName)),
      screenedByName,
    ),
  };
}

function toConsent(c: typeof consents.$inferSelect, deciderName: string | null): ConsentState {
  return {
    role: c.role,
    userId: c.userId,
    decision: c.decision,
    decidedById: c.decidedById,
    decidedByName: deciderName,
    decidedAt: c.decidedAt,
    reason: c.reason,
  };
}

export function toState(
  row: TransferRow,
  consentStates: ConsentState[],
  screenedByName: string | null,
): TransferState {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    requesterId: row.requesterId,
    sourceSmartAccountId: row.sourceSmartAccountId,
    sourceVirtualAccountId: row.sourceVirtualAccountId,
    destinationSmartAccountId: row.destinationSmartAccountId,
    destinationVirtualAccountId: row.destinationVirtualAccountId,
    sameLegalEntity: row.sameLegalEntity,
    requestedByPartner: row.requestedByPartner,
    transfereeId: row.transfereeId,
    consents: consentStates,
    screenedById: row.screenedById,
    screenedByName,
    screenedAt: row.screenedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Compare-and-set: the change applies only if nobody changed the transfer since it was read.
 * Returns false when another decision won the race.
 */
export async function casUpdate(
  q: Q,
  id: string,
  expected: { status: Status; version: number },
  patch: Partial<Omit<TransferRow, 'id' | 'version'>>,
): Promise<boolean> {
  const rows = await q
    .update(transfers)
    .set({ ...patch, version: sql`${transfers.version} + 1` })
    .where(
      and(
        eq(transfers.id, id),
        eq(transfers.status, expected.status),
        eq(transfers.version, expected.version),
      ),
    )
    .returning({ id: transfers.id });
  return rows.length === 1;
}

export async function loadItems(q: Q, transferId: string): Promise<ItemRow[]> {
  return q
    .select()
    .from(transferItems)
    .where(eq(transferItems.transferId, transferId))
    .orderBy(asc(transferItems.id));
}

export async function loadHistory(q: Q, transferId: string): Promise<HistoryRow[]> {
  return q.select().from(history).where(eq(history.transferId, transferId)).orderBy(asc(history.id));
}

export async function appendHistory(q: Q, rows: NewHistory[]): Promise<void> {
  if (rows.length > 0) await q.insert(history).values(rows);
}

export interface OutboxEntry {
  dedupeKey: string;
  recipientUserId?: number | null;
  recipientChannel?: string | null;
  payload: OutboxPayload;
  dueAt?: Date;
}

/** Written in the same transaction as the change it reports; the dedupe key makes a replay harmless. */
export async function enqueue(q: Q, now: Date, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await q
    .insert(outbox)
    .values(
      entries.map((e) => ({
        dedupeKey: e.dedupeKey,
        createdAt: now,
        dueAt: e.dueAt ?? now,
        recipientUserId: e.recipientUserId ?? null,
        recipientChannel: e.recipientChannel ?? null,
        payload: e.payload,
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

export interface TransferFilter {
  /** Only transfers touching one of these Smart Accounts (source or destination), or any when 'all'. */
  smartAccountIds: number[] | 'all';
  /** Transfers this user is part of regardless of account (requester, transferee, consenter). */
  involvedUserId?: number;
  status?: Status | undefined;
  limit?: number;
}

export async function listTransfers(q: Q, f: TransferFilter): Promise<TransferRow[]> {
  const conditions: SQL[] = [];
  if (f.smartAccountIds !== 'all') {
    const scope: SQL[] = [];
    if (f.smartAccountIds.length > 0) {
      scope.push(inArray(transfers.sourceSmartAccountId, f.smartAccountIds));
      scope.push(inArray(transfers.destinationSmartAccountId, f.smartAccountIds));
    }
    if (f.involvedUserId !== undefined) {
      scope.push(eq(transfers.requesterId, f.involvedUserId), eq(transfers.transfereeId, f.involvedUserId));
      scope.push(
        sql`exists (select 1 from ${consents} where ${consents.transferId} = ${transfers.id} and ${consents.userId} = ${f.involvedUserId})`,
      );
    }
    if (scope.length === 0) return [];
    conditions.push(or(...scope)!);
  }
  if (f.status) conditions.push(eq(transfers.status, f.status));
  return q
    .select()
    .from(transfers)
    .where(and(...conditions))
    .orderBy(desc(transfers.createdAt), desc(transfers.id))
    .limit(f.limit ?? 200);
}
