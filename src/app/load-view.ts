import type { Msg } from '../domain/msg.js';
import { allowedActions, canView, seesRefusedAttemptsOf } from '../domain/permissions.js';
import type { Actor, TransferState } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import type { Repositories } from './ports/store.js';
import type { DescribedItem, HistoryRow, LoadedTransfer, ViewNames } from './ports/transfers.js';
import {
  completionPending,
  namedTransferorOf,
  personOf,
  screeningDecision,
  toItemView,
  type AccountView,
  type TransferView,
} from './views.js';

/** Items a chat view describes with their asset's facts: more than a card draws, so a click reads no more. */
export const ITEMS_DESCRIBED = 200;

/** The transfer as `viewer` may see it (every action allowed to nobody when there is no viewer: CLI). */
export async function loadTransferView(
  deps: Pick<AppDeps, 'store'>,
  id: string,
  viewer: Actor | null,
): Promise<TransferView | undefined> {
  return (await loadTransfer(deps.store, id, viewer))?.view;
}

/**
 * The transfer's state and its view for `viewer`, read once (for callers that need both): its row with
 * its consents and names, its items and (when shown) its history, side by side, each keyed by its id.
 */
export async function loadTransfer(
  repos: Repositories,
  id: string,
  viewer: Actor | null,
  /** False when the view is only drawn as a decision card: its history is neither read nor shown. */
  withHistory = true,
): Promise<{ state: TransferState; view: TransferView } | undefined> {
  const [head, [items, history]] = await Promise.all([
    repos.transfers.loadStateAndNames(id),
    itemsAndHistory(repos, id, viewer, withHistory),
  ]);
  if (!head || (viewer && !canView(viewer, head.state))) return undefined;
  return { state: head.state, view: drawView(head, head.names, items, history, viewer) };
}

/**
 * The view of a transfer already read (state and row, and its names when they were read with it, as a
 * decision's read-back reads them), as `viewer` may see it.
 */
export async function transferViewOf(
  repos: Repositories,
  loaded: LoadedTransfer,
  viewer: Actor | null,
  /** False when the view is only drawn as a decision card: its history is neither read nor shown. */
  withHistory = true,
): Promise<TransferView | undefined> {
  if (viewer && !canView(viewer, loaded.state)) return undefined;
  const id = loaded.row.id;
  const [names, [items, history]] = await Promise.all([
    loaded.names ?? repos.transfers.viewNames(id),
    itemsAndHistory(repos, id, viewer, withHistory),
  ]);
  return drawView(loaded, names, items, history, viewer);
}

/**
 * What every view reads beside its head: its items, the console and the command line describing every
 * one (they print them all), chat the first ones (its cards draw no more; the export reads its own),
 * and its history unless the view is only drawn as a card. Side by side.
 */
function itemsAndHistory(
  repos: Repositories,
  id: string,
  viewer: Actor | null,
  withHistory: boolean,
): Promise<[DescribedItem[], HistoryRow[]]> {
  const everyItem = viewer?.surface === 'console' || viewer?.surface === 'cli';
  return Promise.all([
    repos.transfers.itemsDescribed(id, everyItem ? null : ITEMS_DESCRIBED),
    withHistory ? repos.transfers.history(id) : [],
  ]);
}

function drawView(
  { row, state }: LoadedTransfer,
  names: ViewNames,
  items: DescribedItem[],
  history: HistoryRow[],
  viewer: Actor | null,
): TransferView {
  const person = personOf(names.people);
  const accounts = names.accounts;
  const vas = names.virtualAccounts;
  const account = (saId: number): AccountView => {
    const sa = accounts.get(saId);
    return {
      domain: sa?.domain ?? String(saId),
      name: sa?.name ?? '',
      legalEntity: sa?.legalEntityName ?? null,
    };
  };
  const itemViews = items.map(({ item, facts }) => toItemView(item, facts));
  return {
    id: row.id,
    status: row.status,
    source: account(row.sourceSmartAccountId),
    sourceVirtualAccount:
      row.sourceVirtualAccountId !== null ? (vas.get(row.sourceVirtualAccountId)?.name ?? null) : null,
    destination: account(row.destinationSmartAccountId),
    destinationVirtualAccount: vas.get(row.destinationVirtualAccountId)?.name ?? '',
    sameLegalEntity: row.sameLegalEntity,
    requestedByPartner: row.requestedByPartner,
    requester: person(row.requesterId),
    transferee: row.transfereeId !== null ? person(row.transfereeId) : null,
    namedTransferor: namedTransferorOf(row, state.consents, person),
    justification: row.justification,
    transfereeLegalName: row.transfereeLegalName,
    transfereeAddress: row.transfereeAddress,
    termsAccepted: row.termsAcceptedAt ? { by: person(row.requesterId), at: row.termsAcceptedAt } : null,
    createdAt: row.createdAt,
    submittedAt: row.submittedAt,
    completedAt: row.completedAt,
    completionPending: completionPending(row),
    consents: state.consents.map((c) => ({
      role: c.role,
      person: person(c.userId),
      decision: c.decision,
      decidedBy: c.decidedByName,
      decidedByPerson: c.decidedById !== null ? person(c.decidedById) : null,
      decidedAt: c.decidedAt,
      reason: c.reason,
      mayAnswer: c.mayAnswer,
    })),
    screening:
      row.screenedAt !== null
        ? {
            by: state.screenedByName,
            byPerson: row.screenedById !== null ? person(row.screenedById) : null,
            at: row.screenedAt,
            decision: screeningDecision(row.status),
            reason: row.screeningReason,
          }
        : null,
    cancelReason: row.cancelReason ?? null,
    items: itemViews,
    history: history
      .filter(
        (h) => !viewer || !h.action.startsWith('refused.') || seesRefusedAttemptsOf(viewer, state, h.actorId),
      )
      .map((h) => ({
        at: h.at,
        actor: h.actor,
        surface: h.surface,
        action: h.action,
        from: h.fromStatus,
        to: h.toStatus,
        reason: h.reason,
        reasonMsg: (h.details?.reasonMsg as Msg | undefined) ?? null,
        details: h.details,
      })),
    actions: viewer
      ? allowedActions(
          viewer,
          state,
          itemViews.some((i) => i.result === 'failed'),
        )
      : [],
  };
}
