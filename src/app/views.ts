import type { Msg } from '../domain/msg.js';
import {
  allowedActions,
  canView,
  seesRefusedAttemptsOf,
  type TransferAction,
} from '../domain/permissions.js';
import { canStillReach, type Status } from '../domain/status.js';
import type { Actor, TransferState } from '../domain/types.js';
import type { AppDeps } from './deps.js';
import type { Repositories } from './ports/store.js';
import type {
  DescribedItem,
  HistoryRow,
  ItemFacts,
  ItemRow,
  LoadedTransfer,
  TransferRow,
  ViewNames,
} from './ports/transfers.js';

/**
 * One view model, several renderers: the core describes a transfer for one viewer — including the
 * actions that viewer may take — and Slack, Teams, the console and the export draw it.
 */
export interface PersonView {
  id: number;
  name: string;
  email: string;
}

export interface AccountView {
  domain: string;
  name: string;
  /** The legal entity the inventory records the account under, by name; null when it records none. */
  legalEntity: string | null;
}

/** An item as every surface shows it. */
export type ItemView = Pick<
  ItemRow,
  | 'id'
  | 'ref'
  | 'kind'
  | 'licenseId'
  | 'deviceId'
  | 'pid'
  | 'quantity'
  | 'description'
  | 'result'
  | 'reason'
  | 'warnings'
  | 'movedAt'
  | 'lastFailure'
> & {
  /** The asset as the inventory records it now (see ItemFacts); in chat, null past ITEMS_DESCRIBED items. */
  facts: ItemFacts | null;
};

export type { ItemFacts } from './ports/transfers.js';

export interface HistoryView {
  at: Date;
  actor: string;
  surface: string;
  action: string;
  from: Status | null;
  to: Status | null;
  reason: string | null;
  reasonMsg: Msg | null;
  /** What the step recorded beside its reason (a reminder's number, a delivery's recipient). */
  details: Record<string, unknown> | null;
}

export interface ConsentView {
  role: 'transferee' | 'transferor';
  person: PersonView;
  decision: 'approved' | 'rejected' | null;
  decidedBy: string | null;
  /** Who answered: the person asked, or, where the first to answer decides for all, another one asked. */
  decidedByPerson: PersonView | null;
  decidedAt: Date | null;
  reason: string | null;
  requestedAt?: Date;
  /** Whether the person asked still holds the role the consent takes (while it is awaited, they may answer). */
  mayAnswer: boolean;
}

/**
 * The consents as people read them, for every surface that tells them. Where every eligible transferor
 * was asked, the first to answer decides for all: the answer is told once, under the one who gave it (the
 * first asked, should they be none of those asked), and nobody else asked is said to have consented.
 * Consents nobody has answered yet stay listed, one per person asked.
 */
export function consentsAsTold<
  C extends Pick<ConsentView, 'role' | 'decision' | 'person' | 'decidedByPerson'>,
>(consents: readonly C[]): C[] {
  return consents.filter((consent) => {
    const decider = consent.decidedByPerson?.id;
    if (consent.decision === null || decider === undefined) return true;
    const sameAnswer = consents.filter((c) => c.role === consent.role && c.decidedByPerson?.id === decider);
    return (sameAnswer.find((c) => c.person.id === decider) ?? sameAnswer[0]) === consent;
  });
}

export interface TransferView {
  id: string;
  status: Status;
  source: AccountView;
  sourceVirtualAccount: string | null;
  destination: AccountView;
  destinationVirtualAccount: string;
  sameLegalEntity: boolean;
  requestedByPartner: boolean;
  requester: PersonView;
  transferee: PersonView | null;
  /**
   * The transferor a partner named on the request, while nobody has been asked as transferor yet (from
   * submission on, the consents say who is asked and who answered); null otherwise.
   */
  namedTransferor: PersonView | null;
  justification: string | null;
  transfereeLegalName: string | null;
  transfereeAddress: string | null;
  /** Who accepted the terms and conditions on the request form (the requester), and when; null if not asked. */
  termsAccepted: { by: PersonView; at: Date } | null;
  createdAt: Date;
  submittedAt: Date | null;
  completedAt: Date | null;
  /** No completion date yet, and one can still come (see `completionPending`). */
  completionPending: boolean;
  consents: ConsentView[];
  screening: {
    by: string | null;
    /** Who screened, as the user records have them now (null when the record is gone). */
    byPerson: PersonView | null;
    at: Date;
    decision: 'approved' | 'rejected';
    reason: string | null;
  } | null;
  cancelReason: Msg | null;
  items: ItemView[];
  history: HistoryView[];
  /** What this viewer may do now; empty for a system view. */
  actions: TransferAction[];
}

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

/** What compliance decided, once a transfer was screened: a rejection ends it in Compliance Screening Rejected. */
export function screeningDecision(status: Status): 'approved' | 'rejected' {
  return status === 'compliance_rejected' ? 'rejected' : 'approved';
}

/**
 * Whether a transfer without a completion date may still get one: it can still reach Transfer Completed
 * (a retry of a transfer whose every item failed can). One that ended without moving (cancelled, compliance
 * rejected) never will: every surface then shows no date rather than "Not yet".
 */
export function completionPending(row: { status: Status; completedAt: Date | null }): boolean {
  return row.completedAt === null && canStillReach(row.status, 'transfer_completed');
}

/** The transferor a partner named, while nobody has been asked as transferor yet; see `TransferView`. */
export function namedTransferorOf(
  row: Pick<TransferRow, 'transferorId'>,
  consents: readonly { role: string }[],
  person: (userId: number) => PersonView,
): PersonView | null {
  return row.transferorId !== null && !consents.some((c) => c.role === 'transferor')
    ? person(row.transferorId)
    : null;
}

/** A person as views show them, by id: their name and e-mail, or the id when they are gone. */
export function personOf(
  people: Map<number, { name: string; email: string }>,
): (userId: number) => PersonView {
  return (userId) => {
    const found = people.get(userId);
    return { id: userId, name: found?.name ?? String(userId), email: found?.email ?? '' };
  };
}

/** The Virtual Accounts transfers name: each one's destination, and its source when it has one. */
export function transferVirtualAccountIds(
  rows: readonly Pick<TransferRow, 'sourceVirtualAccountId' | 'destinationVirtualAccountId'>[],
): number[] {
  return rows.flatMap((row) => [
    row.destinationVirtualAccountId,
    ...(row.sourceVirtualAccountId !== null ? [row.sourceVirtualAccountId] : []),
  ]);
}

/** An item as shown; with its asset's facts when they were read, what its asset is and is searched by. */
export function toItemView(item: ItemRow, facts: ItemFacts | null = null): ItemView {
  return {
    id: item.id,
    ref: item.ref,
    kind: item.kind,
    licenseId: item.licenseId,
    deviceId: item.deviceId,
    pid: item.pid,
    quantity: item.quantity,
    description: item.description,
    result: item.result,
    reason: item.reason,
    warnings: item.warnings,
    movedAt: item.movedAt,
    lastFailure: item.lastFailure,
    facts,
  };
}
