import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { TransferFilter, TransferRepository } from '../src/app/ports/transfers.js';
import { toTransferState } from '../src/app/transfer-state.js';
import type { ConsentState } from '../src/domain/types.js';
import { anyOf, appendHistoryMany } from './bulk-writes.js';
import { rowsOf, type Q } from './client.js';
import {
  ANSWER_CONSENT,
  consentRowsOn,
  HISTORY,
  ITEMS,
  mayAnswerOf,
  ROW,
  SET_STATUS,
} from './transfer-queries.js';
import {
  consentsOfJson,
  describedItem,
  ITEMS_DESCRIBED,
  NAMES,
  namesOfJson,
  LOCK,
  STATE,
  statusesLeftOfJson,
  VIEW_HEAD,
} from './transfer-view-queries.js';
import { consents, history, refusalCounts, transferItems, transfers } from './schema.js';
import { escalationOf } from './escalation-details.js';

/** Rows per insert of items: a VALUES list costs a parameter per column per row (65,535 at most). */
const ITEMS_PER_INSERT = 2000;

/** The columns an export file shows (see `TransferLineRow`). */
const LINE_COLUMNS = {
  id: transfers.id,
  status: transfers.status,
  sourceSmartAccountId: transfers.sourceSmartAccountId,
  sourceVirtualAccountId: transfers.sourceVirtualAccountId,
  destinationSmartAccountId: transfers.destinationSmartAccountId,
  destinationVirtualAccountId: transfers.destinationVirtualAccountId,
  sameLegalEntity: transfers.sameLegalEntity,
  requesterId: transfers.requesterId,
  transfereeId: transfers.transfereeId,
  createdAt: transfers.createdAt,
  completedAt: transfers.completedAt,
};

export function transferRepository(q: Q): TransferRepository {
  const consentRows = (which: SQL) => consentRowsOn(q, which);

  const rowOf = ROW.on(q);
  const stateOf = STATE.on(q);
  const lockOf = LOCK.on(q);
  const viewHeadOf = VIEW_HEAD.on(q);
  const namesOf = NAMES.on(q);
  const describedOf = ITEMS_DESCRIBED.on(q);
  const itemsOfOne = ITEMS.on(q);
  const historyOfOne = HISTORY.on(q);
  const answer = ANSWER_CONSENT.on(q);
  const setStatus = SET_STATUS.on(q);

  /**
   * Newest first (see `list`): one ordered, limited index scan per way a transfer can be in view (an
   * account as source, as destination, the user as requester, transferee or consenter), merged here: an
   * OR of them all would make PostgreSQL sort every match of a busy account before returning the first page.
   */
  async function listed<R extends { id: string; createdAt: Date }>(
    filter: TransferFilter,
    select: (where: SQL | undefined, order: SQL[], take: number) => Promise<R[]>,
  ): Promise<R[]> {
    const take = filter.limit;
    const page: SQL[] = [];
    if (filter.status) page.push(eq(transfers.status, filter.status));
    // `after`: the page before a row (newer ones), read oldest first from it and turned round below.
    const towardsNewer = filter.after !== undefined;
    const cursor = filter.after ?? filter.before;
    if (cursor) {
      const at = sql`(${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id})`;
      page.push(
        towardsNewer
          ? sql`(${transfers.createdAt}, ${transfers.id}) > ${at}`
          : sql`(${transfers.createdAt}, ${transfers.id}) < ${at}`,
      );
    }
    const order = towardsNewer
      ? [asc(transfers.createdAt), asc(transfers.id)]
      : [desc(transfers.createdAt), desc(transfers.id)];
    const newest = (where: SQL | undefined) => select(and(where, ...page), order, take);
    const branches: Promise<R[]>[] = [];
    if (filter.smartAccountIds === 'all') {
      branches.push(newest(undefined));
    } else {
      for (const id of new Set(filter.smartAccountIds)) {
        branches.push(newest(eq(transfers.sourceSmartAccountId, id)));
        branches.push(newest(eq(transfers.destinationSmartAccountId, id)));
      }
      if (filter.involvedUserId !== undefined) {
        const userId = filter.involvedUserId;
        branches.push(newest(eq(transfers.requesterId, userId)));
        branches.push(newest(eq(transfers.transfereeId, userId)));
        branches.push(
          newest(
            sql`${transfers.id} in (select ${consents.transferId} from ${consents} where ${consents.userId} = ${userId})`,
          ),
        );
      }
    }
    const seen = new Map<string, R>();
    for (const rows of await Promise.all(branches)) for (const row of rows) seen.set(row.id, row);
    const newestFirst = (a: R, b: R) =>
      b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    const rows = [...seen.values()];
    if (!towardsNewer) return rows.sort(newestFirst).slice(0, take);
    return rows
      .sort((a, b) => newestFirst(b, a))
      .slice(0, take)
      .reverse();
  }

  const toConsent = (
    consent: typeof consents.$inferSelect,
    deciderName: string | null,
    mayAnswer: boolean,
  ): ConsentState => ({
    role: consent.role,
    userId: consent.userId,
    decision: consent.decision,
    decidedById: consent.decidedById,
    decidedByName: deciderName,
    decidedAt: consent.decidedAt,
    reason: consent.reason,
    mayAnswer,
    cannotAnswerSince: consent.cannotAnswerSince,
    remindersSent: consent.remindersSent,
  });

  const repository: TransferRepository = {
    async loadRow(id) {
      const [row] = await rowOf({ id });
      return row;
    },

    async loadState(id) {
      const [found] = await stateOf({ id });
      if (!found) return undefined;
      return {
        row: found.row,
        state: toTransferState(
          found.row,
          consentsOfJson(found.asked),
          found.screener,
          statusesLeftOfJson(found.left),
        ),
      };
    },

    lockForDecision: (id) => lockOf({ id }).then(() => undefined),

    async loadStateAndNames(id) {
      const [found] = await viewHeadOf({ id });
      if (!found) return undefined;
      return {
        row: found.row,
        state: toTransferState(found.row, consentsOfJson(found.asked), found.screener),
        names: namesOfJson(found),
      };
    },

    async viewNames(id) {
      const [found] = await namesOf({ id });
      return namesOfJson(found ?? { people: '[]', accounts: '[]', virtualAccounts: '[]' });
    },

    async itemsDescribed(transferId, described) {
      // Every item when null: as many as a transfer can hold.
      const first = described ?? Number.MAX_SAFE_INTEGER;
      return (await describedOf({ id: transferId, described: first })).map(describedItem);
    },

    list(filter) {
      return listed(filter, (where, order, take) =>
        q
          .select()
          .from(transfers)
          .where(where)
          .orderBy(...order)
          .limit(take),
      );
    },

    listLines(filter) {
      return listed(filter, (where, order, take) =>
        q
          .select(LINE_COLUMNS)
          .from(transfers)
          .where(where)
          .orderBy(...order)
          .limit(take),
      );
    },

    async consentsOf(transferIds) {
      const byTransfer = new Map<string, ConsentState[]>();
      if (transferIds.length === 0) return byTransfer;
      for (const { consent, deciderName, mayAnswer } of await consentRows(
        anyOf(consents.transferId, transferIds, 'text'),
      )) {
        const list = byTransfer.get(consent.transferId) ?? [];
        list.push(toConsent(consent, deciderName, mayAnswer));
        byTransfer.set(consent.transferId, list);
      }
      return byTransfer;
    },

    async awaitingConsentAnswerersChanged() {
      // A consent awaited from someone whose roles no longer let them give it, and the history has not
      // said so; or from someone the history says cannot, whose roles let them again.
      const result = await q.execute(sql`
        select distinct c.transfer_id as id
        from ${consents} c
        join ${transfers} t on t.id = c.transfer_id
        where t.status = 'awaiting_consent' and c.decision is null
          and (c.cannot_answer_since is null) = not ${mayAnswerOf('c')}
        order by 1`);
      return rowsOf<{ id: string }>(result).map((row) => row.id);
    },

    async markCannotAnswer(transferId, userIds, since) {
      if (userIds.length === 0) return;
      await q
        .update(consents)
        .set({ cannotAnswerSince: since })
        .where(
          and(
            eq(consents.transferId, transferId),
            anyOf(consents.userId, userIds, 'integer'),
            isNull(consents.decision),
          ),
        );
    },

    async insert(transfer) {
      await q.insert(transfers).values(transfer);
    },

    async compareAndSet(id, expected, patch) {
      const { status, updatedAt, ...more } = patch;
      if (status !== undefined && updatedAt !== undefined && Object.keys(more).length === 0) {
        const changed = await setStatus({
          id,
          status,
          updatedAt: updatedAt.toISOString(),
          expectedStatus: expected.status,
          expectedVersion: expected.version,
        });
        return changed.length === 1;
      }
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
    },

    async pendingItemCount(transferId) {
      const [row] = await q
        .select({ n: sql<number>`count(*)::int` })
        .from(transferItems)
        .where(and(eq(transferItems.transferId, transferId), eq(transferItems.result, 'pending')));
      return row?.n ?? 0;
    },

    items(transferId) {
      return itemsOfOne({ id: transferId });
    },

    async itemsOf(transferIds) {
      if (transferIds.length === 0) return [];
      return q
        .select()
        .from(transferItems)
        .where(anyOf(transferItems.transferId, transferIds, 'text'))
        .orderBy(asc(transferItems.transferId), asc(transferItems.id));
    },

    async insertItems(items) {
      for (let start = 0; start < items.length; start += ITEMS_PER_INSERT)
        await q.insert(transferItems).values(items.slice(start, start + ITEMS_PER_INSERT));
    },

    async updateItems(itemIds, change) {
      if (itemIds.length === 0) return;
      await q
        .update(transferItems)
        .set(change)
        .where(anyOf(transferItems.id, itemIds, 'integer'));
    },

    async releaseItems(transferId) {
      await q
        .update(transferItems)
        .set({ open: false })
        .where(and(eq(transferItems.transferId, transferId), eq(transferItems.open, true)));
    },

    async requestConsents(requests) {
      if (requests.length > 0) await q.insert(consents).values([...requests]);
    },

    async answerConsent(transferId, role, { decision, decidedById, decidedAt, reason }) {
      await answer({ transferId, role, decision, decidedById, decidedAt: decidedAt.toISOString(), reason });
    },

    history(transferId) {
      return historyOfOne({ id: transferId });
    },

    async escalatedTo(transferId) {
      const rows = await q
        .select({ details: history.details })
        .from(history)
        .where(and(eq(history.transferId, transferId), eq(history.action, 'reminder.escalation')))
        .orderBy(asc(history.id));
      return rows.flatMap(({ details }) => escalationOf(details));
    },

    async appendHistory(rows) {
      // Rows as one JSON parameter, however many (see bulk-writes.ts): one statement, cheap to build.
      if (rows.length > 0) await appendHistoryMany(q, rows);
    },

    async countRefusal(r) {
      const key = JSON.stringify([r.actor, r.transferId, r.action, r.code, r.minute.toISOString()]);
      const [row] = await q
        .insert(refusalCounts)
        .values({ key, transferId: r.transferId, actor: r.actor, action: r.action, minute: r.minute })
        .onConflictDoUpdate({ target: refusalCounts.key, set: { count: sql`${refusalCounts.count} + 1` } })
        .returning({ count: refusalCounts.count });
      return row?.count ?? 1;
    },
  };
  return repository;
}
