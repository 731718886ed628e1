import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { virtualAccountsByIds } from '../../db/accounts-repo.js';
import { heldBy, loadAssets, moveAssets, toDeviceAsset, toLicenseAsset } from '../../db/assets-repo.js';
import { anyOf } from '../../db/bulk-writes.js';
import { consents, transferItems } from '../../db/schema.js';
import {
  appendHistory,
  casUpdate,
  enqueue,
  loadItems,
  loadTransferState,
  type ItemRow,
  type NewHistory,
  type TransferRow,
} from '../../db/transfers-repo.js';
import { decideExecution, type Decision, type ItemOutcome, type Outcome } from '../domain/decide.js';
import { checkEligibility, type Eligibility } from '../domain/eligibility.js';
import { isTerminal } from '../domain/status.js';
import type { Actor, Surface, TransferState } from '../domain/types.js';
import { translate } from '../i18n/index.js';
import type { Msg } from '../i18n/msg.js';
import { afterCommit } from './after-commit.js';
import { SYSTEM_ACTOR } from './history-text.js';
import { transitionsTotal } from './metrics.js';
import { notificationsFor } from './notifications.js';

/** Another decision changed the transfer between our read and our write: the caller retries from a fresh read. */
export class ConflictError extends Error {
  constructor(readonly transferId: string) {
    super(`transfer ${transferId} changed concurrently`);
  }
}

export interface ChangeContext {
  actor: Actor | null;
  surface: Surface;
  now: Date;
}

export function actorLabel(actor: Actor | null): string {
  return actor ? actor.email : SYSTEM_ACTOR;
}

/** The English text of a system reason, for the plain `reason` column; the key stays in `details`. */
function reasonText(m: Msg | undefined): string | null {
  return m ? translate('en', m.key, m.params) : null;
}

/**
 * Persists a decision: compare-and-set on the transfer, item results, consents, history and outbox,
 * all inside the caller's database transaction. Runs the transfer itself when the decision says so.
 * Returns the transfer as it now stands.
 */
export async function applyDecision(
  tx: Tx,
  state: TransferState,
  decision: Decision,
  ctx: ChangeContext,
  extra: { consenters?: { role: 'transferee' | 'transferor'; userId: number }[] } = {},
): Promise<TransferState> {
  const { now } = ctx;
  const finalStatus = decision.steps.at(-1)?.to ?? state.status;
  const patch: Partial<TransferRow> = { updatedAt: now };
  if (decision.steps.some((s) => s.to === 'submitted')) patch.submittedAt = now;
  if (isTerminal(finalStatus) && !isTerminal(state.status)) patch.completedAt = now;
  if (
    decision.steps.some((s) => s.to === 'transfer_completed') &&
    state.status === 'transfer_completed_with_failure'
  ) {
    patch.completedAt = now;
  }
  if (decision.screening && ctx.actor) {
    patch.screenedById = ctx.actor.userId;
    patch.screenedAt = now;
    patch.screeningReason = decision.screening.reason;
  }
  if (decision.cancelReason) patch.cancelReason = decision.cancelReason;

  // One compare-and-set per step, so the database's transition guard sees every hop of a chain
  // (pending_submission → submitted → transfer_initiated), not only its two ends.
  const hops = decision.steps.length > 0 ? decision.steps.map((s) => s.to) : [state.status];
  let version = state.version;
  for (const [i, to] of hops.entries()) {
    const from = i === 0 ? state.status : hops[i - 1]!;
    const stepPatch = i === hops.length - 1 ? { ...patch, status: to } : { status: to, updatedAt: now };
    if (!(await casUpdate(tx, state.id, { status: from, version }, stepPatch)))
      throw new ConflictError(state.id);
    version += 1;
  }
  afterCommit(() => {
    for (const step of decision.steps) transitionsTotal.inc({ status: step.to });
  });

  // A transfer that ends here releases its assets in the same write as the items' results.
  if (decision.items) await recordItems(tx, decision.items, now, isTerminal(finalStatus));
  if (decision.consent && ctx.actor) {
    await tx
      .update(consents)
      .set({
        decision: decision.consent.decision,
        decidedById: ctx.actor.userId,
        decidedAt: now,
        reason: decision.consent.reason,
      })
      .where(
        and(
          eq(consents.transferId, state.id),
          eq(consents.role, decision.consent.role),
          isNull(consents.decision),
        ),
      );
  }
  if (decision.requestConsents && extra.consenters) {
    const wanted = extra.consenters.filter((c) => decision.requestConsents!.includes(c.role));
    await tx
      .insert(consents)
      .values(
        wanted.map((c) => ({ transferId: state.id, role: c.role, userId: c.userId, requestedAt: now })),
      );
  }
  if (isTerminal(finalStatus)) {
    await tx
      .update(transferItems)
      .set({ open: false })
      .where(and(eq(transferItems.transferId, state.id), eq(transferItems.open, true)));
  }

  await appendHistory(tx, historyRows(state, decision, ctx));

  const consenterIds = extra.consenters?.length
    ? extra.consenters
    : state.consents.map((c) => ({ role: c.role, userId: c.userId }));
  const failedItems = decision.items?.filter((i) => i.result === 'failed').length ?? 0;
  await enqueue(
    tx,
    now,
    notificationsFor({
      transferId: state.id,
      version,
      actorUserId: ctx.actor?.userId ?? null,
      requesterId: state.requesterId,
      consenterIds,
      finalStatus,
      decision,
      failedItems,
    }),
  );

  const fresh = await loadTransferState(tx, state.id);
  if (!fresh) throw new Error(`transfer ${state.id} vanished`);
  if (decision.execute) return executeTransfer(tx, fresh.state, { ...ctx, actor: null });
  return fresh.state;
}

function historyRows(state: TransferState, decision: Decision, ctx: ChangeContext): NewHistory[] {
  const base = {
    transferId: state.id,
    at: ctx.now,
    actorId: ctx.actor?.userId ?? null,
    actor: actorLabel(ctx.actor),
    surface: ctx.surface,
    action: decision.action,
  };
  const items = decision.items
    ? {
        excluded: count(decision.items, 'excluded'),
        transferred: count(decision.items, 'transferred'),
        failed: count(decision.items, 'failed'),
      }
    : undefined;
  if (decision.steps.length === 0) {
    return [
      { ...base, reason: decision.reason ?? null, details: { consent: decision.consent?.role, items } },
    ];
  }
  return decision.steps.map((s, i) => ({
    ...base,
    fromStatus: s.from,
    toStatus: s.to,
    reason: decision.reason ?? reasonText(s.reason),
    details: { reasonMsg: s.reason, consent: decision.consent?.role, items: i === 0 ? items : undefined },
  }));
}

function count(items: ItemOutcome[], result: ItemOutcome['result']): number {
  return items.filter((i) => i.result === result).length;
}

/**
 * Item results in as few statements as possible: one per distinct (result, reason, warnings). With
 * `closing` (the transfer ends with this decision) every item also lets go of its asset, so 10,000 rows
 * are written once, not twice.
 */
async function recordItems(tx: Tx, items: ItemOutcome[], now: Date, closing: boolean): Promise<void> {
  const groups = new Map<string, { outcome: ItemOutcome; ids: number[] }>();
  for (const item of items) {
    const key = JSON.stringify([item.result, item.reason ?? null, item.warnings ?? null]);
    const group = groups.get(key) ?? { outcome: item, ids: [] };
    group.ids.push(item.itemId);
    groups.set(key, group);
  }
  for (const { outcome, ids } of groups.values()) {
    const set: Partial<typeof transferItems.$inferInsert> = { result: outcome.result };
    if (outcome.reason) set.reason = outcome.reason;
    if (outcome.warnings) set.warnings = outcome.warnings;
    // An excluded or failed item no longer holds its asset; a moved one has arrived.
    if (closing || outcome.result === 'excluded' || outcome.result === 'failed') set.open = false;
    if (outcome.result === 'transferred') set.movedAt = now;
    await tx
      .update(transferItems)
      .set(set)
      .where(anyOf(transferItems.id, ids, 'integer'));
  }
}

/** Re-checks items against the inventory as it is now (SPEC §5, "at validation and transfer"). */
export async function checkItems(
  tx: Tx,
  state: TransferState,
  itemIds: number[] | 'pending',
  lock: boolean,
  /** The transfer's items, when the caller has just read them. */
  loaded?: ItemRow[],
): Promise<{ itemId: number; eligibility: Eligibility }[]> {
  const all = loaded ?? (await loadItems(tx, state.id));
  const items = all.filter((i) => (itemIds === 'pending' ? i.result === 'pending' : itemIds.includes(i.id)));
  const assets = await loadAssets(
    tx,
    items.flatMap((i) => (i.licenseId !== null ? [i.licenseId] : [])),
    items.flatMap((i) => (i.deviceId !== null ? [i.deviceId] : [])),
    lock,
  );
  const vaIds = [...assets.devices.values()].map((d) => d.virtualAccountId);
  const onPrem = new Set(
    [...(await virtualAccountsByIds(tx, vaIds)).values()].filter((v) => v.onPrem).map((v) => v.id),
  );
  const held = await heldBy(
    tx,
    items.map((i) => i.assetKey),
    state.id,
  );
  return items.map((item) => {
    const licenseRow = item.licenseId !== null ? assets.licenses.get(item.licenseId) : undefined;
    const deviceRow = item.deviceId !== null ? assets.devices.get(item.deviceId) : undefined;
    const asset = licenseRow ? toLicenseAsset(licenseRow) : deviceRow ? toDeviceAsset(deviceRow) : undefined;
    if (!asset)
      return {
        itemId: item.id,
        eligibility: { eligible: false, reason: { key: 'eligibility:reason.gone' } },
      };
    const eligibility = checkEligibility(asset, {
      sourceSmartAccountId: state.sourceSmartAccountId,
      sourceVirtualAccountId: state.sourceVirtualAccountId,
      onPremVirtualAccountIds: onPrem,
      heldBy: held.get(item.assetKey) ?? null,
    });
    return { itemId: item.id, eligibility };
  });
}

/** SPEC §4.5: check every item again and move the eligible ones, in the caller's database transaction. */
export async function executeTransfer(
  tx: Tx,
  state: TransferState,
  ctx: ChangeContext,
): Promise<TransferState> {
  // Read once for the check and the move: nothing changes them in between (10,000 rows is a lot to read twice).
  const items = await loadItems(tx, state.id);
  const checks = await checkItems(tx, state, 'pending', true, items);
  const outcome: Outcome = decideExecution(state, checks);
  if (!outcome.ok) throw new Error(`cannot execute ${state.id}: ${outcome.refusal.message.key}`);
  await moveItems(tx, state, outcome.decision.items ?? [], items);
  return applyDecision(tx, state, outcome.decision, ctx);
}

export async function moveItems(
  tx: Tx,
  state: TransferState,
  outcomes: ItemOutcome[],
  loaded?: ItemRow[],
): Promise<void> {
  const moving = new Set(outcomes.filter((o) => o.result === 'transferred').map((o) => o.itemId));
  if (moving.size === 0) return;
  const items = (loaded ?? (await loadItems(tx, state.id))).filter((i) => moving.has(i.id));
  await moveAssets(
    tx,
    items.flatMap((i) => (i.licenseId !== null ? [i.licenseId] : [])),
    items.flatMap((i) => (i.deviceId !== null ? [i.deviceId] : [])),
    state.destinationSmartAccountId,
    state.destinationVirtualAccountId,
  );
}
