import {
  decideExecution,
  type Decision,
  type ItemCheck,
  type ItemOutcome,
  type Outcome,
} from '../domain/decide.js';
import { checkEligibility } from '../domain/eligibility.js';
import { isTerminal, type Status } from '../domain/status.js';
import type { Actor, Surface, TransferState } from '../domain/types.js';
import { toDeviceAsset, toLicenseAsset } from './asset-rows.js';
import { historyRows } from './history-items.js';
import { SYSTEM_ACTOR } from './history-text.js';
import { transitionsTotal } from './metrics.js';
import { notificationsFor, reachedBy } from './notifications.js';
import { licensingOpsNotices } from './ops-notice.js';
import type { CardCopy } from './ports/outbox.js';
import type { Repositories } from './ports/store.js';
import type { ItemChange, ItemRow, LoadedTransfer, TransferPatch } from './ports/transfers.js';

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
  /** Who the history says made the change when no person did and it is not the bot's own (an import). */
  recordedAs?: string | undefined;
  /** The decision card the actor clicked, redrawn by their surface as it answers (not by the refresh). */
  redrawn?: CardCopy | undefined;
}

export function actorLabel(actor: Actor | null): string {
  return actor ? actor.email : SYSTEM_ACTOR;
}

/**
 * Persists a decision: compare-and-set on the transfer, item results, consents, history and outbox,
 * all inside the caller's database transaction. Runs the transfer itself when the decision says so.
 * Returns the transfer as it now stands, with its row.
 */
export async function applyDecision(
  repos: Repositories,
  state: TransferState,
  decision: Decision,
  ctx: ChangeContext,
  extra: { consenters?: { role: 'transferee' | 'transferor'; userId: number }[] } = {},
): Promise<LoadedTransfer> {
  const { now } = ctx;
  const finalStatus = decision.steps.at(-1)?.to ?? state.status;
  const patch: TransferPatch = { updatedAt: now };
  if (decision.steps.some((s) => s.to === 'submitted')) patch.submittedAt = now;
  // The completion date is when assets first moved: a transfer that ends without moving any has none (even
  // one that ends as Transfer Completed with Failure because every item failed) until a retry moves some;
  // a retry that moves the rest leaves the date of the first move as it was.
  const moved =
    decision.items?.some((i) => i.result === 'transferred') ??
    decision.steps.some((s) => COMPLETED.includes(s.to));
  if (moved && COMPLETED.includes(finalStatus) && state.completedAt === null) patch.completedAt = now;
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
    if (!(await repos.transfers.compareAndSet(state.id, { status: from, version }, stepPatch)))
      throw new ConflictError(state.id);
    version += 1;
  }
  repos.afterCommit(() => {
    for (const step of decision.steps) transitionsTotal.inc({ status: step.to });
  });

  // After the compare-and-set, the writes that do not depend on one another go side by side: in the
  // transaction they reach the server together, in this order, and one failure fails them all.
  const consenterIds = extra.consenters?.length
    ? extra.consenters
    : state.consents.map((c) => ({ role: c.role, userId: c.userId }));
  const failedItems = decision.items?.filter((i) => i.result === 'failed').length ?? 0;
  // Read before the writes go out together: who, beside the requester, hears of a transfer that needs a retry.
  const licensingOps = await licensingOpsNotices(repos, state, decision);
  // A consent answered, or the consent stage left: the admins asked to follow up on it are told, once.
  // Only a consent someone was reminded of can have been escalated: the history is read only then.
  const settlesConsent =
    (decision.consent !== undefined || decision.steps.some((s) => s.from === 'awaiting_consent')) &&
    state.consents.some((c) => c.remindersSent > 0);
  const escalated = settlesConsent ? reachedBy(await repos.transfers.escalatedTo(state.id), now) : [];
  await together([
    // A transfer that ends here releases its assets in the same write as the items' results.
    writeItems(repos, state.id, decision, now, finalStatus),
    decision.consent && ctx.actor
      ? repos.transfers.answerConsent(state.id, decision.consent.role, {
          decision: decision.consent.decision,
          decidedById: ctx.actor.userId,
          decidedAt: now,
          reason: decision.consent.reason,
        })
      : undefined,
    decision.requestConsents && extra.consenters
      ? repos.transfers.requestConsents(
          extra.consenters
            .filter((c) => decision.requestConsents!.includes(c.role))
            .map((c) => ({ transferId: state.id, role: c.role, userId: c.userId, requestedAt: now })),
        )
      : undefined,
    decision.answerers
      ? repos.transfers.markCannotAnswer(
          state.id,
          decision.answerers.userIds,
          decision.answerers.canAnswer ? null : now,
        )
      : undefined,
    repos.transfers.appendHistory(
      historyRows(
        {
          transferId: state.id,
          at: ctx.now,
          actorId: ctx.actor?.userId ?? null,
          actor: ctx.recordedAs ?? actorLabel(ctx.actor),
          surface: ctx.surface,
          action: decision.action,
        },
        decision,
      ),
    ),
    repos.outbox.enqueue(
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
        redrawn: ctx.redrawn,
        actorName: ctx.actor?.name,
        escalated,
        answeredBefore: state.consents.filter((c) => c.decision !== null).map((c) => c.role),
      }).concat(licensingOps),
    ),
  ]);

  // Read back as the transaction leaves it: what the caller answers with, without reading it again, and
  // the names drawing it shows, in the same statement (every surface draws the transfer it decided on).
  const fresh = await repos.transfers.loadStateAndNames(state.id);
  if (!fresh) throw new Error(`transfer ${state.id} vanished`);
  if (decision.execute) return executeTransfer(repos, fresh.state, { ...ctx, actor: null });
  return fresh;
}

/**
 * Waits for every write to settle (no statement of the transaction is sent after it ended: a later one
 * would run outside it), then throws: the failure itself when one write failed; when several did, all of
 * them together (an AggregateError), since the one that settled first may be only the knock-on "the
 * transaction is aborted" of a statement sent after the one that failed; the store names the cause.
 */
async function together(writes: (Promise<unknown> | undefined)[]): Promise<void> {
  const settled = await Promise.allSettled(writes.map((write) => write ?? Promise.resolve()));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, 'writes of one transaction failed');
}

/** The items' results, then those still waiting closed and every asset released when the transfer ends. */
async function writeItems(
  repos: Repositories,
  transferId: string,
  decision: Decision,
  now: Date,
  finalStatus: Status,
): Promise<void> {
  if (decision.items) await recordItems(repos, decision.items, now, isTerminal(finalStatus));
  if (isTerminal(finalStatus) && !COMPLETED.includes(finalStatus))
    await closeUnmoved(repos, transferId, decision);
  if (isTerminal(finalStatus)) await repos.transfers.releaseItems(transferId);
}

/** The statuses in which assets moved, and so the transfer has a completion date. */
const COMPLETED: readonly Status[] = ['transfer_completed', 'transfer_completed_with_failure'];

/**
 * A transfer that ends without moving (cancelled, consent rejected or not given in time, compliance
 * rejected): the items still waiting did not move, and say why, in the words of the step that ended it.
 */
async function closeUnmoved(repos: Repositories, transferId: string, decision: Decision): Promise<void> {
  const waiting = (await repos.transfers.items(transferId)).filter((i) => i.result === 'pending');
  if (waiting.length === 0) return;
  const reason = decision.cancelReason ?? decision.steps.at(-1)?.reason;
  await repos.transfers.updateItems(
    waiting.map((i) => i.id),
    reason ? { result: 'not_transferred', reason, open: false } : { result: 'not_transferred', open: false },
  );
}

/**
 * Item results in as few statements as possible: one per distinct (result, reason, warnings). With
 * `closing` (the transfer ends with this decision) every item also lets go of its asset, so 10,000 rows
 * are written once, not twice.
 */
async function recordItems(
  repos: Repositories,
  items: ItemOutcome[],
  now: Date,
  closing: boolean,
): Promise<void> {
  const groups = new Map<string, { outcome: ItemOutcome; ids: number[] }>();
  for (const item of items) {
    const key = JSON.stringify([item.result, item.reason ?? null, item.warnings ?? null]);
    const group = groups.get(key) ?? { outcome: item, ids: [] };
    group.ids.push(item.itemId);
    groups.set(key, group);
  }
  for (const { outcome, ids } of groups.values()) {
    // The reason goes with the result: an item moved on retry keeps no reason from the try that failed
    // (one found already in the destination says so). Why it failed stays on record (`lastFailure`).
    const change: ItemChange = { result: outcome.result, reason: outcome.reason ?? null };
    if (outcome.result === 'failed' && outcome.reason) change.lastFailure = outcome.reason;
    if (outcome.warnings) change.warnings = outcome.warnings;
    // An excluded or failed item no longer holds its asset; a moved one has arrived.
    if (closing || outcome.result === 'excluded' || outcome.result === 'failed') change.open = false;
    if (outcome.result === 'transferred') change.movedAt = now;
    await repos.transfers.updateItems(ids, change);
  }
}

/** Re-checks items against the inventory as it is now: at validation, and again at transfer. */
export async function checkItems(
  repos: Repositories,
  state: TransferState,
  itemIds: number[] | 'pending',
  lock: boolean,
  /** The transfer's items, when the caller has just read them. */
  loaded?: ItemRow[],
  /** A retry: an asset already in the destination Smart Account and Virtual Account counts as arrived. */
  retrying = false,
): Promise<ItemCheck[]> {
  const all = loaded ?? (await repos.transfers.items(state.id));
  const items = all.filter((i) => (itemIds === 'pending' ? i.result === 'pending' : itemIds.includes(i.id)));
  const assets = await repos.assets.loadAssets(
    items.flatMap((i) => (i.licenseId !== null ? [i.licenseId] : [])),
    items.flatMap((i) => (i.deviceId !== null ? [i.deviceId] : [])),
    lock,
  );
  const vaIds = [...assets.devices.values()].map((d) => d.virtualAccountId);
  const onPrem = new Set(
    [...(await repos.accounts.virtualAccountsByIds(vaIds)).values()].filter((v) => v.onPrem).map((v) => v.id),
  );
  // An open item holds its asset, and the database lets no other open item hold the same one
  // (transfer_items_one_open_uq): only the items not open may find theirs taken.
  const held = await repos.assets.heldBy(
    items.filter((i) => !i.open).map((i) => i.assetKey),
    state.id,
  );
  const destination = {
    smartAccountId: state.destinationSmartAccountId,
    virtualAccountId: state.destinationVirtualAccountId,
  };
  return items.map((item): ItemCheck => {
    const licenseRow = item.licenseId !== null ? assets.licenses.get(item.licenseId) : undefined;
    const deviceRow = item.deviceId !== null ? assets.devices.get(item.deviceId) : undefined;
    const asset = licenseRow ? toLicenseAsset(licenseRow) : deviceRow ? toDeviceAsset(deviceRow) : undefined;
    if (!asset)
      return {
        itemId: item.id,
        ref: item.ref,
        eligibility: { eligible: false, reason: { key: 'eligibility:reason.gone' } },
      };
    const eligibility = checkEligibility(asset, {
      sourceSmartAccountId: state.sourceSmartAccountId,
      sourceVirtualAccountId: state.sourceVirtualAccountId,
      onPremVirtualAccountIds: onPrem,
      heldBy: held.get(item.assetKey) ?? null,
      destination: retrying ? destination : undefined,
    });
    return { itemId: item.id, ref: item.ref, eligibility };
  });
}

/** Checks every item again and moves the eligible ones, in the caller's database transaction. */
export async function executeTransfer(
  repos: Repositories,
  state: TransferState,
  ctx: ChangeContext,
): Promise<LoadedTransfer> {
  // Read once for the check and the move: nothing changes them in between (10,000 rows is a lot to read twice).
  const items = await repos.transfers.items(state.id);
  const checks = await checkItems(repos, state, 'pending', true, items);
  const outcome: Outcome = decideExecution(state, checks);
  if (!outcome.ok) throw new Error(`cannot execute ${state.id}: ${outcome.refusal.message.key}`);
  await moveItems(repos, state, outcome.decision.items ?? [], items);
  return applyDecision(repos, state, outcome.decision, ctx);
}

export async function moveItems(
  repos: Repositories,
  state: TransferState,
  outcomes: ItemOutcome[],
  loaded?: ItemRow[],
): Promise<void> {
  // An item already in the destination has nothing left to move.
  const moving = new Set(
    outcomes.filter((o) => o.result === 'transferred' && !o.arrived).map((o) => o.itemId),
  );
  if (moving.size === 0) return;
  const items = (loaded ?? (await repos.transfers.items(state.id))).filter((i) => moving.has(i.id));
  await repos.assets.moveAssets(
    items.flatMap((i) => (i.licenseId !== null ? [i.licenseId] : [])),
    items.flatMap((i) => (i.deviceId !== null ? [i.deviceId] : [])),
    { smartAccountId: state.destinationSmartAccountId, virtualAccountId: state.destinationVirtualAccountId },
  );
}
